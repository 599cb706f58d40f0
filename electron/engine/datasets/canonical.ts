// The canonical serialization of a normalized record: fixed key order, one JSON line.
// records.jsonl holds exactly these lines, so the version is the sha256 of that file.
import type { AnyRecord, DomainKind, RecordOf } from '../../../shared/domain.ts';

function ordered<K extends DomainKind>(kind: K, record: RecordOf[K]): unknown {
  switch (kind) {
    case 'syntax': {
      const r = record as RecordOf['syntax'];
      return { tokens: r.tokens, tags: r.tags };
    }
    case 'semantics': {
      const r = record as RecordOf['semantics'];
      return { text: r.text, label: r.label };
    }
    case 'texture': {
      const r = record as RecordOf['texture'];
      return { pixels: r.pixels, label: r.label, source: r.source };
    }
    case 'recommendation': {
      const r = record as RecordOf['recommendation'];
      return r.timestamp === undefined
        ? { user: r.user, item: r.item, rating: r.rating }
        : { user: r.user, item: r.item, rating: r.rating, timestamp: r.timestamp };
    }
  }
  throw new Error(`unknown kind ${String(kind)}`);
}

export function canonicalLine(kind: DomainKind, record: AnyRecord): string {
  return JSON.stringify(ordered(kind, record as RecordOf[typeof kind]));
}
