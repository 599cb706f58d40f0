// Registration of a dataset input: validate all of it, normalize, hash, split, and describe it.
// Records stream to disk as they are read; only per-record facts for splits and stats stay in memory.
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DomainKind, InputProblem } from '../../../shared/domain.ts';
import { canonicalLine } from './canonical.ts';
import { checkDataset, datasetWarnings } from './checks.ts';
import { chooseFormat } from './formats.ts';
import type { ParseReport, Parsed } from './parsers/parser.ts';
import { describeError, ProblemList } from './problems.ts';
import { readerFor } from './readers.ts';
import { RecordWriter } from './record-writer.ts';
import { randomSplit, stratifiedSplit, temporalSplit } from './split.ts';
import { countSplits, datasetStats } from './stats.ts';
import { DatasetTally } from './tally.ts';

export interface PrepareOptions {
  kind: DomainKind;
  /** One of FORMATS_OF[kind]; detected from the path or content when absent. */
  format?: string;
  /** Semantics: text column/field (default `text`). */
  textCol?: string;
  /** Semantics: label column/field (default `label`). */
  labelCol?: string;
  /** Recommendation: every interaction is a positive (rating 1). */
  implicit?: boolean;
  /** Split seed. */
  seed: number;
}

export interface PreparedVersion {
  kind: DomainKind;
  format: string;
  implicit: boolean;
  /** sha256 hex of the normalized records (the bytes of records.jsonl). */
  version: string;
  counts: { train: number; validation: number; test: number };
  /** Sorted label set (tags for syntax), [] for recommendation. */
  labels: string[];
  warnings: string[];
  stats: Record<string, unknown>;
  /** Up to 8 normalized records. */
  preview: Record<string, unknown>[];
}

export type PrepareResult = { ok: true; prepared: PreparedVersion } | { ok: false; problems: InputProblem[]; total: number };

export const RECORDS_FILE = 'records.jsonl';
export const SPLIT_FILE = 'split.bin';
export const META_FILE = 'meta.json';
const PREVIEW_SIZE = 8;

function failed(problems: ProblemList): PrepareResult {
  return { ok: false, problems: problems.items, total: problems.total };
}

function splitFor(tally: DatasetTally, seed: number): Uint8Array {
  switch (tally.kind) {
    case 'semantics':
    case 'texture':
      return stratifiedSplit(tally.labelOf.view(), tally.labels.names.length, seed);
    case 'recommendation':
      return tally.allTimestamped() ? temporalSplit(tally.userOf.view(), tally.timestamps.view()) : randomSplit(tally.count, seed);
    case 'syntax':
      return randomSplit(tally.count, seed);
  }
}

/**
 * Reads inputPath (file or folder), validates all of it, and on success writes into workDir (an existing
 * empty folder the caller owns): records.jsonl (one normalized record per line, see RecordOf in
 * shared/domain.ts), split.bin (one byte per record: SPLIT_CODE in types.ts), meta.json (the
 * PreparedVersion). On failure it returns problems, and workDir is left as it was. Never throws for bad
 * user input (only for I/O failures of workDir). A missing inputPath is a problem, not a throw.
 */
export async function prepareDataset(inputPath: string, options: PrepareOptions, workDir: string): Promise<PrepareResult> {
  const { kind, seed } = options;
  const implicit = kind === 'recommendation' && options.implicit === true;
  const problems = new ProblemList();
  if (!Number.isFinite(seed)) {
    problems.add(inputPath, null, `split seed must be a finite number, got ${seed}`);
    return failed(problems);
  }
  const choice = await chooseFormat(inputPath, kind, options.format);
  if (!choice.ok) {
    problems.add(inputPath, null, choice.message);
    return failed(problems);
  }
  const format = choice.format;
  const report: ParseReport = { problems, warnings: [] };
  const reader = readerFor(kind, format)(inputPath, { textCol: options.textCol ?? 'text', labelCol: options.labelCol ?? 'label', implicit }, report);

  const tally = new DatasetTally(kind);
  const preview: Record<string, unknown>[] = [];
  const writer = new RecordWriter(join(workDir, RECORDS_FILE));
  let version: string;
  try {
    for (;;) {
      let step: IteratorResult<Parsed<DomainKind>>;
      try {
        step = await reader.next();
      } catch (error) {
        // Readers report bad input as problems; anything that still escapes is reported, not thrown.
        problems.add(inputPath, null, `cannot read the input: ${describeError(error)}`);
        break;
      }
      if (step.done) break;
      tally.add(step.value);
      // Once the input is known to be bad, only validation goes on.
      if (problems.any) continue;
      const line = canonicalLine(kind, step.value.record);
      if (preview.length < PREVIEW_SIZE) preview.push(JSON.parse(line) as Record<string, unknown>);
      await writer.write(line);
    }
    // Whole-dataset checks only make sense on a fully valid read: with bad records left out, class
    // counts would mislead.
    if (!problems.any) checkDataset(tally, inputPath, problems);
    if (problems.any) {
      await writer.discard();
      return failed(problems);
    }
    version = await writer.commit();
  } catch (error) {
    await writer.discard();
    throw error;
  }

  try {
    const split = splitFor(tally, seed);
    const prepared: PreparedVersion = {
      kind,
      format,
      implicit,
      version,
      counts: countSplits(split),
      labels: kind === 'recommendation' ? [] : [...tally.labels.names].sort(),
      warnings: [...report.warnings, ...datasetWarnings(tally)],
      stats: datasetStats(tally, split),
      preview,
    };
    await writeFile(join(workDir, SPLIT_FILE), split);
    await writeFile(join(workDir, META_FILE), `${JSON.stringify(prepared, null, 2)}\n`);
    return { ok: true, prepared };
  } catch (error) {
    await Promise.all([RECORDS_FILE, SPLIT_FILE, META_FILE].map((name) => rm(join(workDir, name), { force: true })));
    throw new Error(`could not write the prepared dataset to ${workDir}: ${describeError(error)}`, { cause: error });
  }
}
