// Writes test/fixtures/datasets/malformed/<kind>/: small inputs that registration must refuse, each with
// a known bad place (see test/unit/datasets/malformed.test.ts). Run: npx node scripts/samples/make-malformed-fixtures.ts
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PNG } from 'pngjs';

const ROOT = join(import.meta.dirname, '../../test/fixtures/datasets/malformed');

function write(path: string, content: string | Uint8Array): void {
  const full = join(ROOT, path);
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, content);
}

function png(seed: number, size = 8): Buffer {
  const image = new PNG({ width: size, height: size });
  for (let i = 0; i < image.data.length; i++) image.data[i] = (i * 31 + seed * 17) & 255;
  return PNG.sync.write(image);
}

const NUL_BYTES = Uint8Array.from([0x74, 0x65, 0x78, 0x74, 0x00, 0x01, 0x02, 0xff, 0x00, 0x0a]);

rmSync(ROOT, { recursive: true, force: true });

// syntax
const sentence = (tokens: string[], tags: string[]): string => JSON.stringify({ tokens, tags });
write('syntax/mismatched-tags.jsonl', [sentence(['A', 'dog'], ['DET', 'NOUN']), sentence(['It', 'ran', 'fast'], ['PRON', 'VERB']), ''].join('\n'));
write('syntax/bad-json.jsonl', [sentence(['A', 'dog'], ['DET', 'NOUN']), sentence(['It', 'ran'], ['PRON', 'VERB']), '{"tokens": ["x"], "tags": [', ''].join('\n'));
write('syntax/one-tag.jsonl', [sentence(['dogs', 'cats'], ['NOUN', 'NOUN']), sentence(['mice'], ['NOUN']), ''].join('\n'));
write('syntax/wrong-columns.conllu', ['# sent_id = 1', '1\tThe\t_\tDET\t_\t_\t_\t_\t_\t_', '2\tdog\t_\tNOUN\t_\t_\t_\t_\t_\t_', '', '1\tIt\t_\tPRON\t_\t_\t_\t_\t_', '2\truns\t_\tVERB\t_\t_\t_\t_\t_\t_', ''].join('\n'));
write('syntax/missing-upos.conllu', ['1\tThe\t_\tDET\t_\t_\t_\t_\t_\t_', '2\tdog\t_\t_\t_\t_\t_\t_\t_\t_', ''].join('\n'));
write('syntax/binary.conllu', NUL_BYTES);
write('syntax/invalid-utf8.conllu', Buffer.concat([Buffer.from('1\tThe\t_\tDET\t_\t_\t_\t_\t_\t_\n2\tdog\t_\tNOUN\t_\t_\t_\t_\t_\t_\n\n1\tcaf'), Buffer.from([0xc3, 0x28]), Buffer.from('\t_\tNOUN\t_\t_\t_\t_\t_\t_\n')]));

// semantics
write('semantics/missing-column.csv', 'body,label\nhello there,pos\nawful day,neg\n');
write('semantics/empty-text.csv', 'text,label\ngood,pos\nbad,neg\nfine,pos\n   ,neg\n');
write('semantics/one-class.csv', 'text,label\ngood,pos\ngreat,pos\nsuper,pos\n');
write('semantics/singleton-class.csv', 'text,label\ngood,pos\ngreat,pos\nbad,neg\nawful,neg\nmeh,neutral\n');
write('semantics/binary.csv', NUL_BYTES);
write('semantics/bad-json.jsonl', '{"text": "good", "label": "pos"}\n{"text": "bad", "label": \n');
write('semantics/unclosed-quote.csv', 'text,label\ngood,pos\n"bad,neg\nfine,pos\n');
// A multi-line field on lines 2-3, so the bad record on line 4 checks line counting.
write('semantics/multiline-then-bad.csv', 'text,label\n"first line\nsecond line",pos\nthree,fields,here\nok,neg\n');

// texture
write('texture/truncated-png/a/1.png', png(1));
write('texture/truncated-png/a/2.png', png(2));
write('texture/truncated-png/a/broken.png', png(3).subarray(0, 40));
write('texture/truncated-png/b/1.png', png(4));
write('texture/truncated-png/b/2.png', png(5));
write('texture/one-class/a/1.png', png(1));
write('texture/one-class/a/2.png', png(2));
write('texture/one-class/a/3.png', png(3));
write('texture/singleton/a/1.png', png(1));
write('texture/singleton/a/2.png', png(2));
write('texture/singleton/b/1.png', png(3));
write('texture/not-an-image/a/1.png', png(1));
write('texture/not-an-image/a/2.png', png(2));
write('texture/not-an-image/b/1.png', png(3));
write('texture/not-an-image/b/fake.png', 'this is text, not a PNG\n');
write('texture/listing/images/a1.png', png(1));
write('texture/listing/images/a2.png', png(2));
write('texture/listing/images/b1.png', png(3));
write('texture/listing/missing-image.csv', 'path,label\nimages/a1.png,a\nimages/nope.png,b\nimages/a2.png,a\nimages/b1.png,b\n');
write('texture/listing/bad-fields.csv', 'path,label\nimages/a1.png,a,extra\nimages/a2.png,a\n');
write('texture/listing/binary.csv', NUL_BYTES);

// recommendation
write('recommendation/bad-rating.csv', 'user,item,rating\nu1,i1,4\nu1,i2,five\nu2,i1,3\n');
write('recommendation/missing-column.csv', 'user,item,timestamp\nu1,i1,100\nu2,i2,200\n');
write('recommendation/wrong-fields.data', '1\t10\t4\t881250949\n2\t20\t3\n3\t30\t5\t881250950\n');
write('recommendation/binary.csv', NUL_BYTES);
write('recommendation/bad-timestamp.tsv', 'user\titem\trating\ttimestamp\nu1\ti1\t4\t100\nu1\ti2\t3\t200\nu2\ti1\t5\tyesterday\n');
write('recommendation/empty-user.csv', 'u1,i1,4\n,i2,3\nu2,i1,5\n');
console.log(`fixtures written to ${ROOT}`);
