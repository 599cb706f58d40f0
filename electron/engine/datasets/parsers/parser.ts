// What every format reader shares: its signature, its options, and how read failures become problems.
import type { DomainKind, RecordOf } from '../../../../shared/domain.ts';
import { CsvSyntaxError } from '../csv-rows.ts';
import { describeError, type ProblemList } from '../problems.ts';
import { NotTextError } from '../text-stream.ts';

export interface ParseOptions {
  /** Semantics: the text column (CSV/TSV) or field (JSONL). */
  textCol: string;
  /** Semantics: the label column or field. */
  labelCol: string;
  /** Recommendation: every interaction is a positive (rating 1). */
  implicit: boolean;
}

export interface Parsed<K extends DomainKind> {
  record: RecordOf[K];
  /** Texture: the size of the image before resizing. */
  imageSize?: { width: number; height: number };
}

/** Problems block registration; warnings are told but do not. */
export interface ParseReport {
  problems: ProblemList;
  warnings: string[];
}

/**
 * A reader streams valid normalized records from `input` and adds a problem for everything it cannot
 * accept. It never throws for bad input; it keeps reading after a bad record so that all problems show.
 */
export type FormatReader<K extends DomainKind> = (input: string, options: ParseOptions, report: ParseReport) => AsyncGenerator<Parsed<K>>;

/** Turns a failure to read an input file into a problem at the right place. */
export function addReadFailure(problems: ProblemList, file: string, error: unknown): void {
  if (error instanceof NotTextError) problems.add(file, error.line, error.message);
  else if (error instanceof CsvSyntaxError) problems.add(file, error.line, `malformed CSV: ${error.message}`);
  else problems.add(file, null, `cannot read the file: ${describeError(error)}`);
}

export function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}
