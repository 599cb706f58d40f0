// User and item ids -> embedding rows. Exact ids (the default while they fit): every user and item
// of the training split gets its own row, in sorted order from row 1; row 0 is shared by ids never
// seen in training. Hashed ids: "u:"/"i:" + id hashed into id_buckets rows (collisions share rows).
// The vocabulary belongs to the task (like its label set) and is written into bundles.
import type { ModelShape } from '../../../shared/config.ts';
import { itemBucket, userBucket } from './encoders/interaction-encoder.ts';

export interface IdVocab {
  users: string[];
  items: string[];
}

export function idVocabOf(train: readonly { user: string; item: string }[]): IdVocab {
  const users = new Set<string>();
  const items = new Set<string>();
  for (const r of train) {
    users.add(r.user);
    items.add(r.item);
  }
  const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  return { users: [...users].sort(byCodePoint), items: [...items].sort(byCodePoint) };
}

export interface IdMapper {
  userRows: number;
  itemRows: number;
  user: (id: string) => number;
  item: (id: string) => number;
}

const lookups = new WeakMap<IdVocab, { users: Map<string, number>; items: Map<string, number> }>();

function lookupOf(vocab: IdVocab): { users: Map<string, number>; items: Map<string, number> } {
  let l = lookups.get(vocab);
  if (l === undefined) {
    l = { users: new Map(vocab.users.map((u, i) => [u, i + 1])), items: new Map(vocab.items.map((t, i) => [t, i + 1])) };
    lookups.set(vocab, l);
  }
  return l;
}

/** Rows and id -> row of a task's interaction encoder; `vocab` is required with exact ids. */
export function idMapper(shape: Pick<ModelShape, 'ids' | 'id_buckets'>, vocab: IdVocab | null): IdMapper {
  if (shape.ids === 'hashed') {
    const b = shape.id_buckets;
    return { userRows: b, itemRows: b, user: (id) => userBucket(id, b), item: (id) => itemBucket(id, b) };
  }
  if (vocab === null) throw new Error('exact ids need the task\'s id vocabulary');
  const l = lookupOf(vocab);
  return { userRows: vocab.users.length + 1, itemRows: vocab.items.length + 1, user: (id) => l.users.get(id) ?? 0, item: (id) => l.items.get(id) ?? 0 };
}
