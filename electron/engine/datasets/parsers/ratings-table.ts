// Interactions: CSV/TSV `user,item,rating[,timestamp]` with an optional header (detected), and
// MovieLens u.data (tab-separated user, item, rating, timestamp; never a header).
import type { FormatReader } from './parser.ts';
import { addReadFailure } from './parser.ts';
import { csvRows } from '../csv-rows.ts';

type Role = 'user' | 'item' | 'rating' | 'timestamp';

/** Header names accepted for each column (compared lower-cased, without spaces, dashes or underscores). */
const NAMES: Readonly<Record<Role, readonly string[]>> = {
  user: ['user', 'userid', 'users', 'uid', 'customer', 'customerid'],
  item: ['item', 'itemid', 'items', 'iid', 'movie', 'movieid', 'product', 'productid'],
  rating: ['rating', 'ratings', 'score', 'stars', 'value'],
  timestamp: ['timestamp', 'time', 'ts', 'date', 'datetime'],
};

function roleOf(name: string): Role | undefined {
  const key = name.trim().toLowerCase().replace(/[\s_-]/g, '');
  return (Object.keys(NAMES) as Role[]).find((role) => NAMES[role].includes(key));
}

function isNumber(text: string): boolean {
  return text.trim() !== '' && Number.isFinite(Number(text));
}

/** A first row is a header when it names a known column, or when none of its fields is a number. */
function looksLikeHeader(fields: string[]): boolean {
  return fields.some((field) => roleOf(field) !== undefined) || !fields.some(isNumber);
}

type Layout = Partial<Record<Role, number>> & { width: number };

function positionalLayout(width: number): Layout {
  return { width, user: 0, item: 1, rating: width >= 3 ? 2 : undefined, timestamp: width >= 4 ? 3 : undefined };
}

function headerLayout(fields: string[]): Layout {
  const layout: Layout = { width: fields.length };
  fields.forEach((field, index) => {
    const role = roleOf(field);
    if (role !== undefined && layout[role] === undefined) layout[role] = index;
  });
  return layout;
}

function tableReader(delimiter: ',' | '\t', headerAllowed: boolean): FormatReader<'recommendation'> {
  return async function* (input, { implicit }, { problems }) {
    let layout: Layout | null = null;
    try {
      for await (const { fields, line } of csvRows(input, delimiter)) {
        if (layout === null) {
          const header = headerAllowed && looksLikeHeader(fields);
          layout = header ? headerLayout(fields) : positionalLayout(fields.length);
          const required: Role[] = implicit ? ['user', 'item'] : ['user', 'item', 'rating'];
          const missing = required.filter((role) => layout?.[role] === undefined);
          if (missing.length > 0) {
            const expected = header ? `the header (found ${fields.map((f) => `'${f.trim()}'`).join(', ')})` : `${fields.length} field(s); expected user, item, rating[, timestamp]`;
            problems.add(input, line, `missing column ${missing.map((role) => `'${role}'`).join(', ')} in ${expected}`);
            return;
          }
          if (header) continue;
        }
        if (fields.length !== layout.width) {
          problems.add(input, line, `expected ${layout.width} fields, found ${fields.length}`);
          continue;
        }
        const user = fields[layout.user as number].trim();
        const item = fields[layout.item as number].trim();
        const ratingText = layout.rating === undefined ? '1' : fields[layout.rating].trim();
        const timeText = layout.timestamp === undefined ? undefined : fields[layout.timestamp].trim();
        let fine = true;
        const complain = (message: string): void => {
          problems.add(input, line, message);
          fine = false;
        };
        if (user === '') complain('empty user');
        if (item === '') complain('empty item');
        if (!isNumber(ratingText)) complain(`rating '${ratingText}' is not a number`);
        if (timeText !== undefined && !isNumber(timeText)) complain(`timestamp '${timeText}' is not a number (seconds since 1970)`);
        if (!fine) continue;
        const rating = implicit ? 1 : Number(ratingText);
        yield { record: timeText === undefined ? { user, item, rating } : { user, item, rating, timestamp: Number(timeText) } };
      }
      if (layout === null) problems.add(input, null, 'the file has no interactions');
    } catch (error) {
      addReadFailure(problems, input, error);
    }
  };
}

export const readRatingsCsv = tableReader(',', true);
export const readRatingsTsv = tableReader('\t', true);
export const readMovielens = tableReader('\t', false);
