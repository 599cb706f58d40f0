// JSONL for text classification: one {"text": ..., "label": ...} object per line (field names from textCol/labelCol).
import type { FormatReader } from './parser.ts';
import { addReadFailure } from './parser.ts';
import { textLines } from '../text-stream.ts';
import { normalizeLabel, normalizeText } from './text-normalize.ts';

export const readSemanticsJsonl: FormatReader<'semantics'> = async function* (input, { textCol, labelCol }, { problems }) {
  try {
    for await (const { text: raw, line } of textLines(input)) {
      if (raw.trim() === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(raw);
      } catch (error) {
        problems.add(input, line, `malformed JSON: ${(error as Error).message}`);
        continue;
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        problems.add(input, line, `expected an object {"${textCol}": ..., "${labelCol}": ...}`);
        continue;
      }
      const fields = value as Record<string, unknown>;
      const rawText = fields[textCol];
      const rawLabel = fields[labelCol];
      if (typeof rawText !== 'string') {
        problems.add(input, line, rawText === undefined ? `missing field "${textCol}"` : `field "${textCol}" is not a string`);
        continue;
      }
      // Numeric and boolean labels (0/1, true/false) are common; they become their JSON text.
      if (typeof rawLabel !== 'string' && typeof rawLabel !== 'number' && typeof rawLabel !== 'boolean') {
        problems.add(input, line, rawLabel === undefined ? `missing field "${labelCol}"` : `field "${labelCol}" is not a string, number or boolean`);
        continue;
      }
      const text = normalizeText(rawText);
      const label = normalizeLabel(String(rawLabel));
      if (text === '') problems.add(input, line, `empty text in field "${textCol}"`);
      if (label === '') problems.add(input, line, `empty label in field "${labelCol}"`);
      if (text !== '' && label !== '') yield { record: { text, label } };
    }
  } catch (error) {
    addReadFailure(problems, input, error);
  }
};
