// GENERATES resources/samples/texture/<class>/*.png: 4 classes of procedural textures (stripes, checks,
// dots, noise), 150 images each, 28..40 pixels a side, random colours, orientation, scale and pixel noise.
// Run: npx node scripts/samples/make-texture.ts
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { seeded, type Rng } from './seeded.ts';

const OUT_DIR = join(import.meta.dirname, '../../resources/samples/texture');
const PER_CLASS = 150;
const rng = seeded(20240601);

type Rgb = [number, number, number];
/** Intensity in [0, 1] at (x, y): 0 = background colour, 1 = foreground colour. */
type Pattern = (x: number, y: number) => number;

function colour(random: Rng): Rgb {
  return [random.int(0, 255), random.int(0, 255), random.int(0, 255)];
}

function stripes(random: Rng): Pattern {
  const angle = random.next() * Math.PI;
  const period = 3 + random.next() * 6;
  const phase = random.next() * period;
  return (x, y) => ((x * Math.cos(angle) + y * Math.sin(angle) + phase) % period < period / 2 ? 1 : 0);
}

function checks(random: Rng): Pattern {
  const cell = random.int(2, 7);
  const dx = random.int(0, cell);
  const dy = random.int(0, cell);
  return (x, y) => (Math.floor((x + dx) / cell) + Math.floor((y + dy) / cell)) % 2;
}

function dots(random: Rng, width: number, height: number): Pattern {
  const count = random.int(5, 14);
  const centres = Array.from({ length: count }, () => ({ x: random.next() * width, y: random.next() * height, r: 1.5 + random.next() * 2.5 }));
  return (x, y) => (centres.some((c) => (x - c.x) ** 2 + (y - c.y) ** 2 <= c.r ** 2) ? 1 : 0);
}

function noise(random: Rng): Pattern {
  return () => random.next();
}

const CLASSES: Record<string, (random: Rng, width: number, height: number) => Pattern> = { stripes, checks, dots, noise };

function render(pattern: Pattern, width: number, height: number, back: Rgb, fore: Rgb, random: Rng): Buffer {
  const png = new PNG({ width, height });
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const t = pattern(x, y);
      const p = (y * width + x) * 4;
      for (let c = 0; c < 3; c++) {
        const value = back[c] + (fore[c] - back[c]) * t + random.normal() * 12;
        png.data[p + c] = Math.max(0, Math.min(255, Math.round(value)));
      }
      png.data[p + 3] = 255;
    }
  }
  return PNG.sync.write(png, { colorType: 2 });
}

for (const [name, make] of Object.entries(CLASSES)) {
  // Start each class folder afresh (the README next to them stays).
  rmSync(join(OUT_DIR, name), { recursive: true, force: true });
  mkdirSync(join(OUT_DIR, name), { recursive: true });
  for (let i = 0; i < PER_CLASS; i++) {
    // Most images are 32x32; one in five has another size so that resizing is exercised.
    const varied = i % 5 === 4;
    const width = varied ? rng.int(28, 40) : 32;
    const height = varied ? rng.int(28, 40) : 32;
    let back = colour(rng);
    let fore = colour(rng);
    // Keep the pattern visible: foreground and background must differ enough.
    while (Math.abs(back[0] - fore[0]) + Math.abs(back[1] - fore[1]) + Math.abs(back[2] - fore[2]) < 180) {
      back = colour(rng);
      fore = colour(rng);
    }
    const png = render(make(rng, width, height), width, height, back, fore, rng);
    writeFileSync(join(OUT_DIR, name, `${name}-${String(i + 1).padStart(3, '0')}.png`), png);
  }
}
console.log(`${Object.keys(CLASSES).length * PER_CLASS} images written to ${OUT_DIR}`);
