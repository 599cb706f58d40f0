// A file or folder dropped on the Datasets page: its path, and a first guess at how to register
// it (the form shows the guess; the engine validates the whole input when it is added).
import type { DomainKind } from '../../../shared/domain.ts';

/** What a drop carries that this page reads: files (the desktop) and the URI or text lists. */
export interface DroppedData {
  files: ArrayLike<File>;
  getData(format: string): string;
}

/** A file:// URI as a local path (file:///C:/x on Windows keeps its drive letter). */
export function pathFromFileUri(uri: string): string | null {
  if (!uri.startsWith('file://')) return null;
  const path = decodeURIComponent(new URL(uri).pathname);
  return /^\/[A-Za-z]:\//.test(path) ? path.slice(1) : path;
}

/**
 * The dropped path: the desktop app asks Electron for a dropped file's path (`pathForFile`, from
 * the preload); a file manager also puts a file:// URI list on the drop, and plain text is taken
 * as a typed path. Null when nothing in the drop names a path.
 */
export function droppedPath(data: DroppedData, pathForFile?: (file: File) => string): string | null {
  const file = data.files.length > 0 ? data.files[0] : undefined;
  if (file && pathForFile) {
    const path = pathForFile(file);
    if (path) return path;
  }
  const first = data.getData('text/uri-list').split(/\r?\n/).find((line) => line && !line.startsWith('#'));
  const fromUri = first ? pathFromFileUri(first) : null;
  if (fromUri) return fromUri;
  const text = data.getData('text/plain').trim();
  return text && !text.includes('\n') ? text : null;
}

export interface DropGuess {
  kind: DomainKind;
  name: string;
}

/** A dataset name from a path's last part: letters, digits, _ . - only. */
export function suggestName(path: string): string {
  const last = path.replace(/[\\/]+$/, '').split(/[\\/]/).pop() ?? '';
  return last.replace(/\.[^.]+$/, '').replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '').slice(0, 64);
}

const RATINGS_NAME = /(^|[^a-z])(ratings?|interactions?|u\.data|clicks|events)([^a-z]|$)/i;

/** The likely kind from the path alone: a folder holds images; CoNLL-U is tagged text; a
 * ratings-like table is interaction data; other tables and JSON lines are labelled text. */
export function guessFromPath(path: string): DropGuess {
  const last = path.replace(/[\\/]+$/, '').split(/[\\/]/).pop() ?? '';
  const ext = /\.([^.]+)$/.exec(last)?.[1]?.toLowerCase() ?? '';
  let kind: DomainKind;
  if (ext === 'conllu' || ext === 'conll') kind = 'syntax';
  else if (last === 'u.data' || ((ext === 'csv' || ext === 'tsv') && RATINGS_NAME.test(last))) kind = 'recommendation';
  else if (ext === '' ) kind = 'texture';
  else kind = 'semantics';
  return { kind, name: suggestName(path) };
}
