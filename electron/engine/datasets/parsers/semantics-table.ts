// CSV/TSV for text classification: a header row, then one text and one label per record
// (columns chosen by name; RFC 4180 quoting with multi-line fields).
import type { FormatReader } from './parser.ts';
import { addReadFailure } from './parser.ts';
import { csvRows } from '../csv-rows.ts';
import { normalizeLabel, normalizeText } from './text-normalize.ts';

function tableReader(delimiter: ',' | '\t'): FormatReader<'semantics'> {
  return async function* (input, { textCol, labelCol }, { problems }) {
    let textAt = -1;
    let labelAt = -1;
    let width = 0;
    try {
      for await (const { fields, line } of csvRows(input, delimiter)) {
        if (width === 0) {
          const names = fields.map((name) => name.trim());
          textAt = names.indexOf(textCol);
          labelAt = names.indexOf(labelCol);
          width = fields.length;
          const missing = [textCol, labelCol].filter((_, i) => [textAt, labelAt][i] === -1);
          if (missing.length > 0) {
            const shown = names.map((name) => `'${name}'`).join(', ');
            problems.add(input, line, `missing column ${missing.map((name) => `'${name}'`).join(' and ')} in the header (found ${shown}); choose columns with textCol/labelCol`);
            return;
          }
          continue;
        }
        if (fields.length !== width) {
          problems.add(input, line, `expected ${width} fields as in the header, found ${fields.length}`);
          continue;
        }
        const text = normalizeText(fields[textAt]);
        const label = normalizeLabel(fields[labelAt]);
        if (text === '') problems.add(input, line, `empty text in column '${textCol}'`);
        if (label === '') problems.add(input, line, `empty label in column '${labelCol}'`);
        if (text !== '' && label !== '') yield { record: { text, label } };
      }
      if (width === 0) problems.add(input, null, 'the file has no header and no records');
    } catch (error) {
      addReadFailure(problems, input, error);
    }
  };
}

export const readSemanticsCsv = tableReader(',');
export const readSemanticsTsv = tableReader('\t');
