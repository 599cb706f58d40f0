// `npm run bench [-- NAME ...]`: runs every registered bench, or the named ones, printing one
// JSON object per result line on stdout and keeping a copy in bench/results/.
// `--list` prints the names. Benches are the files in bench/ that call registerBench.
import { appendFileSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { registeredBenches, type BenchRow } from './registry.ts';

const here = dirname(fileURLToPath(import.meta.url));
const runnerFiles = new Set(['run.ts', 'registry.ts']);

async function main(args: string[]): Promise<void> {
  for (const file of readdirSync(here).filter((f) => f.endsWith('.ts') && !runnerFiles.has(f)).sort()) {
    await import(pathToFileURL(join(here, file)).href);
  }
  const all = registeredBenches();
  if (args.includes('--list')) {
    for (const b of all) console.log(`${b.name}\t${b.description}`);
    return;
  }
  const names = args.filter((a) => !a.startsWith('--'));
  const unknown = names.filter((n) => !all.some((b) => b.name === n));
  if (unknown.length > 0) throw new Error(`unknown bench ${unknown.join(', ')}; known: ${all.map((b) => b.name).join(', ')}`);
  const chosen = names.length === 0 ? all : all.filter((b) => names.includes(b.name));

  const resultsDir = join(here, 'results');
  mkdirSync(resultsDir, { recursive: true });
  const resultsFile = join(resultsDir, `${new Date().toISOString().replace(/[:.]/g, '-')}.jsonl`);
  const emit = (row: BenchRow): void => {
    const line = JSON.stringify(row);
    console.log(line);
    appendFileSync(resultsFile, `${line}\n`);
  };
  for (const b of chosen) {
    const started = performance.now();
    await b.run(emit);
    console.error(`[bench] ${b.name} done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  console.error(`[bench] results in ${resultsFile}`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
