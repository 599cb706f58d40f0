// Whole-dataset checks once every record is read: errors that block registration, warnings that do not.
import type { ProblemList } from './problems.ts';
import type { DatasetTally } from './tally.ts';

/** A class this many times larger than the smallest one is worth a warning. */
export const IMBALANCE_RATIO = 10;
/** Sentences longer than this (tokens) are worth a warning. */
export const LONG_SENTENCE_TOKENS = 100;
/** Below this, a split can come out empty. */
export const MIN_SAMPLES_FOR_FULL_SPLIT = 10;

function quoted(names: string[]): string {
  return names.map((name) => `'${name}'`).join(', ');
}

/** Adds problems for a dataset that cannot be trained on (they name the input, line null). */
export function checkDataset(tally: DatasetTally, input: string, problems: ProblemList): void {
  if (tally.count === 0) {
    problems.add(input, null, 'no samples found');
    return;
  }
  const { names, counts } = tally.labels;
  if (tally.kind === 'syntax' && names.length < 2) {
    problems.add(input, null, `fewer than two tags (found ${quoted(names)}); a tagger needs at least two`);
  }
  if (tally.kind === 'semantics' || tally.kind === 'texture') {
    if (names.length < 2) problems.add(input, null, `fewer than two classes (found ${quoted(names)}); a classifier needs at least two`);
    names.forEach((name, i) => {
      if (counts[i] < 2) problems.add(input, null, `class '${name}' has ${counts[i]} sample; each class needs at least two (one to train, one to test)`);
    });
  }
}

/** Warnings about data that registers but may train badly. */
export function datasetWarnings(tally: DatasetTally): string[] {
  const warnings: string[] = [];
  if (tally.count < MIN_SAMPLES_FOR_FULL_SPLIT) {
    warnings.push(`only ${tally.count} samples: the validation or test split may be empty`);
  }
  if ((tally.kind === 'semantics' || tally.kind === 'texture') && tally.labels.counts.length >= 2) {
    const { names, counts } = tally.labels;
    const largest = Math.max(...counts);
    const smallest = Math.min(...counts);
    if (largest / smallest > IMBALANCE_RATIO) {
      warnings.push(`class imbalance: '${names[counts.indexOf(largest)]}' has ${largest} samples, '${names[counts.indexOf(smallest)]}' only ${smallest} (ratio ${(largest / smallest).toFixed(1)} > ${IMBALANCE_RATIO})`);
    }
  }
  const duplicates = tally.duplicateCount();
  if (duplicates > 0) {
    const what = tally.kind === 'recommendation' ? 'interactions repeat an earlier (user, item) pair' : 'samples repeat an earlier sample exactly';
    warnings.push(`${duplicates} duplicate(s): ${what}`);
  }
  if (tally.kind === 'syntax') {
    const long = tally.lengths.view().filter((length) => length > LONG_SENTENCE_TOKENS).length;
    if (long > 0) warnings.push(`${long} very long sentence(s) (more than ${LONG_SENTENCE_TOKENS} tokens)`);
  }
  if (tally.kind === 'texture' && tally.imageSizes.names.length > 1) {
    warnings.push(`mixed image sizes (${tally.imageSizes.names.length} different sizes); all are resized to the model's square input`);
  }
  if (tally.kind === 'recommendation') {
    const single = tally.users.counts.filter((count) => count === 1).length;
    if (single > 0) warnings.push(`${single} user(s) with a single rating: they only ever appear in training`);
  }
  return warnings;
}
