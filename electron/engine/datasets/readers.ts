// The reader for each (kind, format) pair.
import type { DatasetFormat, DomainKind } from '../../../shared/domain.ts';
import type { FormatReader } from './parsers/parser.ts';
import { readConllu } from './parsers/conllu.ts';
import { readSyntaxJsonl } from './parsers/syntax-jsonl.ts';
import { readSemanticsCsv, readSemanticsTsv } from './parsers/semantics-table.ts';
import { readSemanticsJsonl } from './parsers/semantics-jsonl.ts';
import { readTextureFolder } from './parsers/texture-folder.ts';
import { readTextureCsv } from './parsers/texture-csv.ts';
import { readMovielens, readRatingsCsv, readRatingsTsv } from './parsers/ratings-table.ts';

const READERS: { [K in DomainKind]: Partial<Record<DatasetFormat, FormatReader<K>>> } = {
  syntax: { conllu: readConllu, jsonl: readSyntaxJsonl },
  semantics: { csv: readSemanticsCsv, tsv: readSemanticsTsv, jsonl: readSemanticsJsonl },
  texture: { folder: readTextureFolder, csv: readTextureCsv },
  recommendation: { csv: readRatingsCsv, tsv: readRatingsTsv, movielens: readMovielens },
};

export function readerFor<K extends DomainKind>(kind: K, format: DatasetFormat): FormatReader<K> {
  const reader = READERS[kind][format] as FormatReader<K> | undefined;
  if (!reader) throw new Error(`no reader for ${kind}/${format}`);
  return reader;
}
