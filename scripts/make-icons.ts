// Draws the application icon (a gate at the top routing to four experts, two of them chosen:
// top-2) and writes it in the three desktop formats electron-builder takes:
//   resources/icons/icon.icns                 macOS (PNG entries 16 to 512)
//   resources/icons/icon.ico                  Windows (PNG entries 16 to 256)
//   resources/icons/{16..512}x{16..512}.png   Linux (one per size)
// Flat colours keep the PNGs small. Run: `npx node scripts/make-icons.ts`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';

type Rgba = readonly [number, number, number, number];
type Shape = (x: number, y: number) => Rgba | null;

const SIZE = 512;
const SUPERSAMPLE = 4;
const BACKGROUND: Rgba = [30, 58, 138, 255];
const LINE: Rgba = [147, 197, 253, 255];
const FAINT: Rgba = [71, 101, 180, 255];
const GATE: Rgba = [248, 250, 252, 255];
const EXPERTS: Rgba[] = [
  [52, 211, 153, 255],
  [251, 191, 36, 255],
  [244, 114, 182, 255],
  [96, 165, 250, 255],
];

function roundedSquare(margin: number, radius: number, colour: Rgba): Shape {
  const lo = margin;
  const hi = SIZE - margin;
  return (x, y) => {
    if (x < lo || x > hi || y < lo || y > hi) return null;
    const cx = Math.min(Math.max(x, lo + radius), hi - radius);
    const cy = Math.min(Math.max(y, lo + radius), hi - radius);
    return (x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2 ? colour : null;
  };
}

function disc(cx: number, cy: number, r: number, colour: Rgba): Shape {
  return (x, y) => ((x - cx) ** 2 + (y - cy) ** 2 <= r * r ? colour : null);
}

function segment(x0: number, y0: number, x1: number, y1: number, width: number, colour: Rgba): Shape {
  const dx = x1 - x0;
  const dy = y1 - y0;
  const len2 = dx * dx + dy * dy;
  return (x, y) => {
    const t = Math.min(1, Math.max(0, ((x - x0) * dx + (y - y0) * dy) / len2));
    const px = x0 + t * dx - x;
    const py = y0 + t * dy - y;
    return px * px + py * py <= (width / 2) ** 2 ? colour : null;
  };
}

/** Shapes painted in order (later on top). */
function iconShapes(): Shape[] {
  const gate = { x: 256, y: 150 };
  const xs = [104, 205, 307, 408];
  const y = 372;
  const chosen = new Set([1, 2]);
  return [
    roundedSquare(24, 96, BACKGROUND),
    ...xs.map((x, i) => segment(gate.x, gate.y, x, y, chosen.has(i) ? 22 : 10, chosen.has(i) ? LINE : FAINT)),
    disc(gate.x, gate.y, 58, GATE),
    disc(gate.x, gate.y, 30, BACKGROUND),
    ...xs.map((x, i) => disc(x, y, 44, EXPERTS[i]!)),
  ];
}

/** The icon at `size` pixels, each pixel the mean of SUPERSAMPLE² samples. */
export function drawIcon(size: number): PNG {
  const shapes = iconShapes();
  const png = new PNG({ width: size, height: size });
  const scale = SIZE / size;
  const n = SUPERSAMPLE * SUPERSAMPLE;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < SUPERSAMPLE; sy++) {
        for (let sx = 0; sx < SUPERSAMPLE; sx++) {
          const x = (px + (sx + 0.5) / SUPERSAMPLE) * scale;
          const y = (py + (sy + 0.5) / SUPERSAMPLE) * scale;
          let colour: Rgba | null = null;
          for (const shape of shapes) colour = shape(x, y) ?? colour;
          if (colour) {
            r += colour[0] * colour[3];
            g += colour[1] * colour[3];
            b += colour[2] * colour[3];
            a += colour[3];
          }
        }
      }
      const i = (py * size + px) * 4;
      png.data[i] = a ? Math.round(r / a) : 0;
      png.data[i + 1] = a ? Math.round(g / a) : 0;
      png.data[i + 2] = a ? Math.round(b / a) : 0;
      png.data[i + 3] = Math.round(a / n);
    }
  }
  return png;
}

function encode(png: PNG): Buffer {
  return PNG.sync.write(png, { colorType: 6, deflateLevel: 9 });
}

/** An ICO file whose entries are PNG images (Windows Vista and later). */
export function icoOf(images: { size: number; png: Buffer }[]): Buffer {
  const header = Buffer.alloc(6 + 16 * images.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2); // 1 = icon
  header.writeUInt16LE(images.length, 4);
  let offset = header.length;
  images.forEach(({ size, png }, i) => {
    const e = 6 + 16 * i;
    header.writeUInt8(size >= 256 ? 0 : size, e); // 0 means 256
    header.writeUInt8(size >= 256 ? 0 : size, e + 1);
    header.writeUInt8(0, e + 2); // no palette
    header.writeUInt8(0, e + 3);
    header.writeUInt16LE(1, e + 4); // colour planes
    header.writeUInt16LE(32, e + 6); // bits per pixel
    header.writeUInt32LE(png.length, e + 8);
    header.writeUInt32LE(offset, e + 12);
    offset += png.length;
  });
  return Buffer.concat([header, ...images.map((i) => i.png)]);
}

/** The ICNS types that hold a PNG of each size. */
export const ICNS_TYPES: Readonly<Record<number, string>> = { 16: 'icp4', 32: 'icp5', 64: 'icp6', 128: 'ic07', 256: 'ic08', 512: 'ic09' };

export function icnsOf(images: { size: number; png: Buffer }[]): Buffer {
  const entries = images.map(({ size, png }) => {
    const type = ICNS_TYPES[size];
    if (!type) throw new Error(`no ICNS type for ${size}x${size}`);
    const head = Buffer.alloc(8);
    head.write(type, 0, 'ascii');
    head.writeUInt32BE(png.length + 8, 4);
    return Buffer.concat([head, png]);
  });
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'ascii');
  head.writeUInt32BE(8 + entries.reduce((n, e) => n + e.length, 0), 4);
  return Buffer.concat([head, ...entries]);
}

export const ICON_SIZES = [16, 32, 48, 64, 128, 256, 512] as const;

export function writeIcons(dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  const pngs = new Map(ICON_SIZES.map((size) => [size, encode(drawIcon(size))]));
  const pick = (sizes: number[]) => sizes.map((size) => ({ size, png: pngs.get(size as (typeof ICON_SIZES)[number])! }));
  const written: string[] = [];
  const write = (name: string, data: Buffer) => {
    writeFileSync(join(dir, name), data);
    written.push(name);
  };
  for (const [size, png] of pngs) write(`${size}x${size}.png`, png);
  write('icon.ico', icoOf(pick([16, 32, 48, 64, 128, 256])));
  write('icon.icns', icnsOf(pick([16, 32, 64, 128, 256, 512])));
  return written;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dir = fileURLToPath(new URL('../resources/icons/', import.meta.url));
  console.log(`wrote ${writeIcons(dir).join(', ')} in ${dir}`);
}
