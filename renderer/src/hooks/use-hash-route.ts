// Pages live in the address hash (`#/history/12`), so they work from a file:// page (desktop)
// and from serve alike, and the browser's back button moves between them.
import { useEffect, useState } from 'react';

export interface Route {
  page: string;
  /** The rest of the path: `['12']` for `#/history/12`. */
  params: string[];
}

function parse(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  return { page: parts[0] ?? '', params: parts.slice(1) };
}

export function navigate(page: string, ...params: (string | number)[]): void {
  window.location.hash = '#/' + [page, ...params.map((p) => encodeURIComponent(String(p)))].join('/');
}

export function hrefTo(page: string, ...params: (string | number)[]): string {
  return '#/' + [page, ...params.map((p) => encodeURIComponent(String(p)))].join('/');
}

export function useHashRoute(): Route {
  const [route, setRoute] = useState(() => parse(window.location.hash));
  useEffect(() => {
    const update = () => setRoute(parse(window.location.hash));
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return route;
}
