// CoNLL-U (and 10-column CoNLL-X): one word per line, FORM in column 2, UPOS in column 4; blank lines end
// sentences; comments, multi-word token ranges (1-2) and empty nodes (1.1) are skipped as the format says.
import type { FormatReader, Parsed } from './parser.ts';
import { addReadFailure } from './parser.ts';
import { textLines } from '../text-stream.ts';

const COLUMNS = 10;

export const readConllu: FormatReader<'syntax'> = async function* (input, _options, { problems }) {
  let tokens: string[] = [];
  let tags: string[] = [];
  let broken = false;
  let expectedId = 1;

  function finish(): Parsed<'syntax'> | null {
    const done = !broken && tokens.length > 0 ? { record: { tokens, tags } } : null;
    tokens = [];
    tags = [];
    broken = false;
    expectedId = 1;
    return done;
  }

  try {
    for await (const { text, line } of textLines(input)) {
      if (text.trim() === '') {
        const sentence = finish();
        if (sentence) yield sentence;
        continue;
      }
      if (text.startsWith('#')) continue;
      const columns = text.split('\t');
      if (columns.length !== COLUMNS) {
        problems.add(input, line, `expected ${COLUMNS} tab-separated columns, found ${columns.length}`);
        broken = true;
        continue;
      }
      const [id, form, , upos] = columns;
      if (/^\d+-\d+$/.test(id) || /^\d+\.\d+$/.test(id)) continue;
      if (!/^\d+$/.test(id)) {
        problems.add(input, line, `ID '${id}' is not a word index, a range (1-2) or an empty node (1.1)`);
        broken = true;
        continue;
      }
      if (Number(id) !== expectedId) {
        problems.add(input, line, `word ID ${id} out of order (expected ${expectedId}); is a blank line missing between sentences?`);
        broken = true;
      }
      expectedId = Number(id) + 1;
      if (form === '') problems.add(input, line, 'empty FORM (column 2)');
      if (upos.trim() === '' || upos === '_') problems.add(input, line, 'missing UPOS tag (column 4)');
      if (form === '' || upos.trim() === '' || upos === '_') broken = true;
      tokens.push(form);
      tags.push(upos.trim());
    }
    const last = finish();
    if (last) yield last;
  } catch (error) {
    addReadFailure(problems, input, error);
  }
};
