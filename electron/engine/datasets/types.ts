// What the dataset layer hands to training: a registered version's normalized records with its
// stored split. The engine never reads the user's original files.
import type { AnyRecord, DomainKind, RecordOf } from '../../../shared/domain.ts';

/** Split codes stored per record, in record order. */
export const SPLIT_CODE = { train: 0, validation: 1, test: 2 } as const;

export interface LoadedDataset<K extends DomainKind = DomainKind> {
  name: string;
  kind: K;
  /** Content hash of the normalized records: the version. */
  version: string;
  /** Recommendation only: every interaction is a positive (rating 1). */
  implicit: boolean;
  /** Sorted label set (classes, or tags for syntax); empty for recommendation. */
  labels: string[];
  records: RecordOf[K][];
  /** One SPLIT_CODE per record. */
  split: Uint8Array;
}

export type AnyLoadedDataset = { [K in DomainKind]: LoadedDataset<K> }[DomainKind];
export type { AnyRecord };
