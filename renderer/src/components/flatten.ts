// Nested result records (as the engine stores them) flattened to `a.b.c -> value` rows, so any
// shape of result can be listed without the UI guessing at it.

export function flattenNumbers(value: unknown, prefix = '', skip: ReadonlySet<string> = new Set()): [string, number][] {
  if (typeof value === 'number') return [[prefix, value]];
  if (!value || typeof value !== 'object' || Array.isArray(value)) return [];
  return Object.entries(value as Record<string, unknown>).flatMap(([key, inner]) => (skip.has(key) ? [] : flattenNumbers(inner, prefix ? `${prefix}.${key}` : key, skip)));
}

export function asRecord(value: unknown): Record<string, unknown> | null {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}
