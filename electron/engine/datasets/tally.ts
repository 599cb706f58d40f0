// What registration keeps in memory while records stream to disk: only the per-record facts that
// splits, checks and statistics need (class index, length, user, timestamp, a duplicate fingerprint).
import { createHash } from 'node:crypto';
import type { DomainKind, RecordOf } from '../../../shared/domain.ts';
import { GrowableFloat64, GrowableUint32 } from './growable.ts';
import type { Parsed } from './parsers/parser.ts';

/** Interns strings to dense indices, counting occurrences. */
class Counter {
  readonly index = new Map<string, number>();
  readonly names: string[] = [];
  readonly counts: number[] = [];

  add(name: string, times = 1): number {
    let id = this.index.get(name);
    if (id === undefined) {
      id = this.names.length;
      this.index.set(name, id);
      this.names.push(name);
      this.counts.push(0);
    }
    this.counts[id] += times;
    return id;
  }

  /** name -> count, in sorted name order (a stable JSON shape). */
  histogram(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const name of [...this.names].sort()) out[name] = this.counts[this.index.get(name) as number];
    return out;
  }
}

/** 48 bits of sha1: enough to count duplicates among millions of records, 8 bytes each. */
function fingerprint(key: string): number {
  return createHash('sha1').update(key).digest().readUIntBE(0, 6);
}

function duplicateKey(kind: DomainKind, record: RecordOf[DomainKind]): string {
  switch (kind) {
    case 'syntax': {
      const r = record as RecordOf['syntax'];
      return JSON.stringify([r.tokens, r.tags]);
    }
    case 'semantics': {
      const r = record as RecordOf['semantics'];
      return JSON.stringify([r.text, r.label]);
    }
    case 'texture': {
      const r = record as RecordOf['texture'];
      return JSON.stringify([r.pixels, r.label]);
    }
    case 'recommendation': {
      // Rating the same item twice is the duplicate that matters.
      const r = record as RecordOf['recommendation'];
      return JSON.stringify([r.user, r.item]);
    }
  }
  throw new Error(`unknown kind ${String(kind)}`);
}

export class DatasetTally {
  readonly kind: DomainKind;
  count = 0;
  /** Classes (semantics, texture) or tags (syntax, counted per token). */
  readonly labels = new Counter();
  /** Class index per record (semantics, texture). */
  readonly labelOf = new GrowableUint32();
  /** Tokens per sentence (syntax) or whitespace-separated words per text (semantics). */
  readonly lengths = new GrowableUint32();
  readonly imageSizes = new Counter();
  readonly users = new Counter();
  readonly items = new Counter();
  readonly ratings = new Counter();
  readonly userOf = new GrowableUint32();
  /** NaN where a record has no timestamp. */
  readonly timestamps = new GrowableFloat64();
  readonly fingerprints = new GrowableFloat64();

  constructor(kind: DomainKind) {
    this.kind = kind;
  }

  add(parsed: Parsed<DomainKind>): void {
    this.count += 1;
    const record = parsed.record;
    this.fingerprints.push(fingerprint(duplicateKey(this.kind, record)));
    switch (this.kind) {
      case 'syntax': {
        const r = record as RecordOf['syntax'];
        this.lengths.push(r.tokens.length);
        for (const tag of r.tags) this.labels.add(tag);
        break;
      }
      case 'semantics': {
        const r = record as RecordOf['semantics'];
        this.labelOf.push(this.labels.add(r.label));
        this.lengths.push(r.text.split(/\s+/).filter(Boolean).length);
        break;
      }
      case 'texture': {
        const r = record as RecordOf['texture'];
        this.labelOf.push(this.labels.add(r.label));
        if (parsed.imageSize) this.imageSizes.add(`${parsed.imageSize.width}x${parsed.imageSize.height}`);
        break;
      }
      case 'recommendation': {
        const r = record as RecordOf['recommendation'];
        this.userOf.push(this.users.add(r.user));
        this.items.add(r.item);
        this.ratings.add(String(r.rating));
        this.timestamps.push(r.timestamp ?? Number.NaN);
        break;
      }
    }
  }

  /** Records whose fingerprint equals an earlier record's. */
  duplicateCount(): number {
    const sorted = Float64Array.from(this.fingerprints.view()).sort();
    let duplicates = 0;
    for (let i = 1; i < sorted.length; i++) if (sorted[i] === sorted[i - 1]) duplicates++;
    return duplicates;
  }

  /** True when every record has a timestamp (recommendation). */
  allTimestamped(): boolean {
    return this.count > 0 && this.timestamps.view().every((t) => !Number.isNaN(t));
  }
}
