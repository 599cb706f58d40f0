// A drop on the Datasets page: the path it carries (the desktop bridge's answer first, then a
// file manager's URI list, then plain text) and the first guess at the kind and name.
import { describe, expect, it } from 'vitest';
import { droppedPath, guessFromPath, pathFromFileUri } from '../../../renderer/src/components/dropped-path.ts';

function drop(data: Record<string, string>, files: File[] = []) {
  return { files, getData: (type: string) => data[type] ?? '' };
}

describe('dropped path', () => {
  it('asks the desktop bridge for a dropped file first', () => {
    const file = new File(['x'], 'ratings.csv');
    expect(droppedPath(drop({ 'text/uri-list': 'file:///elsewhere.csv' }, [file]), (f) => `/home/me/${f.name}`)).toBe('/home/me/ratings.csv');
    // A file without a path (the bridge answers '') falls through to the URI list.
    expect(droppedPath(drop({ 'text/uri-list': 'file:///data/a%20b.csv' }, [file]), () => '')).toBe('/data/a b.csv');
  });

  it('reads a file manager URI list, skipping comments, and keeps Windows drive letters', () => {
    expect(droppedPath(drop({ 'text/uri-list': '# from Files\r\nfile:///srv/x.conllu\r\nfile:///srv/y' }))).toBe('/srv/x.conllu');
    expect(pathFromFileUri('file:///C:/Users/me/data.csv')).toBe('C:/Users/me/data.csv');
    expect(pathFromFileUri('https://example.com/data.csv')).toBeNull();
  });

  it('takes one line of text as a path, and nothing else', () => {
    expect(droppedPath(drop({ 'text/plain': '  /data/textures  ' }))).toBe('/data/textures');
    expect(droppedPath(drop({ 'text/plain': 'two\nlines' }))).toBeNull();
    expect(droppedPath(drop({ 'text/uri-list': 'https://example.com/x.csv' }))).toBeNull();
    expect(droppedPath(drop({}))).toBeNull();
  });

  it('guesses the kind and a valid name from the path', () => {
    expect(guessFromPath('/data/en_ewt-ud-train.conllu')).toEqual({ kind: 'syntax', name: 'en_ewt-ud-train' });
    expect(guessFromPath('/data/ml-100k/u.data')).toEqual({ kind: 'recommendation', name: 'u' });
    expect(guessFromPath('/data/movie ratings.csv')).toEqual({ kind: 'recommendation', name: 'movie-ratings' });
    expect(guessFromPath('C:\\data\\interactions.tsv')).toEqual({ kind: 'recommendation', name: 'interactions' });
    expect(guessFromPath('/data/spam-ham.csv')).toEqual({ kind: 'semantics', name: 'spam-ham' });
    expect(guessFromPath('/data/reviews.jsonl')).toEqual({ kind: 'semantics', name: 'reviews' });
    expect(guessFromPath('/data/textures/')).toEqual({ kind: 'texture', name: 'textures' });
    expect(guessFromPath('/data/_private set')).toEqual({ kind: 'texture', name: 'private-set' });
  });
});
