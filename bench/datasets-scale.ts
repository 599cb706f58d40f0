// datasets-scale: registration streams. A 100 MB CSV and 50,000 images register in a child
// process whose peak RSS is reported (goal: far below the input size).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { registerBench, type BenchRow } from './registry.ts';

const child = fileURLToPath(new URL('./child/datasets-scale.ts', import.meta.url));

registerBench({
  name: 'datasets-scale',
  description: 'register a generated 100 MB CSV and 50,000 PNGs; time and peak RSS',
  run: (emit) =>
    new Promise((resolve, reject) => {
      const p = spawn(process.execPath, [child, '--mb', '100', '--images', '50000'], { stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      p.stdout.on('data', (d) => (out += d));
      p.on('error', reject);
      p.on('close', (code) => {
        if (code !== 0) return reject(new Error(`datasets-scale child exited ${code}`));
        for (const line of out.split('\n').filter((l) => l.startsWith('{'))) emit(JSON.parse(line) as BenchRow);
        resolve();
      });
    }),
});
