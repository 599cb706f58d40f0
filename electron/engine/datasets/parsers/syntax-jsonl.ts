// JSONL for token tagging: one {"tokens": [...], "tags": [...]} object per line.
import type { FormatReader } from './parser.ts';
import { addReadFailure, isNonEmptyString } from './parser.ts';
import { textLines } from '../text-stream.ts';

/** Why a parsed line is not a tagged sentence, or null when it is one. */
function sentenceProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'expected an object {"tokens": [...], "tags": [...]}';
  const { tokens, tags } = value as { tokens?: unknown; tags?: unknown };
  if (!Array.isArray(tokens)) return 'missing "tokens" array';
  if (!Array.isArray(tags)) return 'missing "tags" array';
  if (tokens.length === 0) return 'empty sentence (no tokens)';
  if (tokens.length !== tags.length) return `${tokens.length} tokens but ${tags.length} tags`;
  const badToken = tokens.findIndex((token) => typeof token !== 'string' || token === '');
  if (badToken !== -1) return `token ${badToken + 1} is not a non-empty string`;
  const badTag = tags.findIndex((tag) => !isNonEmptyString(tag));
  if (badTag !== -1) return `tag ${badTag + 1} is not a non-empty string`;
  return null;
}

export const readSyntaxJsonl: FormatReader<'syntax'> = async function* (input, _options, { problems }) {
  try {
    for await (const { text, line } of textLines(input)) {
      if (text.trim() === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (error) {
        problems.add(input, line, `malformed JSON: ${(error as Error).message}`);
        continue;
      }
      const problem = sentenceProblem(value);
      if (problem !== null) {
        problems.add(input, line, problem);
        continue;
      }
      const { tokens, tags } = value as { tokens: string[]; tags: string[] };
      yield { record: { tokens, tags: tags.map((tag) => tag.trim()) } };
    }
  } catch (error) {
    addReadFailure(problems, input, error);
  }
};
