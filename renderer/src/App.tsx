// The frame of the app: a header with the backend badge, a left navigation, and the page the
// address hash names. Desktop menu commands arrive as `ui.command` events and open their page.
import type { ReactNode } from 'react';
import { useApiContext } from './api/api-context.tsx';
import { BackendBadge } from './components/BackendBadge.tsx';
import { PageErrorBoundary } from './components/PageErrorBoundary.tsx';
import { useEvent } from './hooks/use-event.ts';
import { hrefTo, navigate, useHashRoute } from './hooks/use-hash-route.ts';
import { AssemblyPage } from './pages/AssemblyPage.tsx';
import { DatasetsPage } from './pages/DatasetsPage.tsx';
import { ExpertsPage } from './pages/ExpertsPage.tsx';
import { HistoryPage } from './pages/HistoryPage.tsx';
import { PlaygroundPage } from './pages/PlaygroundPage.tsx';
import { RunDetailsPage } from './pages/RunDetailsPage.tsx';
import { ExplorerPage } from './explore/ExplorerPage.tsx';
import { SweepsPage } from './explore/SweepsPage.tsx';
import { CompareCurvesPage } from './explore/CompareCurvesPage.tsx';

const PAGES: { page: string; title: string }[] = [
  { page: 'datasets', title: 'Datasets' },
  { page: 'experts', title: 'Experts' },
  { page: 'assembly', title: 'Assembly' },
  { page: 'history', title: 'History' },
  { page: 'playground', title: 'Playground' },
  { page: 'explorer', title: 'Explorer' },
  { page: 'sweeps', title: 'Sweeps' },
];

export function App() {
  const { info, mode } = useApiContext();
  const route = useHashRoute();
  const page = PAGES.some((p) => p.page === route.page) ? route.page : 'datasets';

  useEvent('ui.command', ({ command }) => {
    if (command === 'add-dataset') navigate('datasets', 'add');
    else if (command === 'import-model') navigate('history', 'import');
    else if (command === 'export-run') {
      // Export acts on the run in view; elsewhere History lets the user pick one.
      if (route.page === 'history' && /^\d+$/.test(route.params[0] ?? '')) navigate('history', route.params[0]!, 'export');
      else navigate('history');
    }
  });

  let content: ReactNode;
  const runId = Number(route.params[0]);
  if (page === 'datasets') content = <DatasetsPage focus={route.params[0] ?? null} />;
  else if (page === 'experts') content = <ExpertsPage />;
  else if (page === 'assembly') {
    const bench = route.params[0] === 'bench' ? Number(route.params[1]) : NaN;
    content = <AssemblyPage bench={Number.isInteger(bench) && bench > 0 ? bench : null} />;
  }
  else if (page === 'playground') content = <PlaygroundPage />;
  else if (page === 'explorer') content = <ExplorerPage />;
  else if (page === 'sweeps') content = <SweepsPage focus={Number.isInteger(runId) && runId > 0 ? runId : null} />;
  else if (page === 'history' && route.params[0] === 'compare') content = <CompareCurvesPage ids={(route.params[1] ?? '').split(',').map(Number).filter((n) => Number.isInteger(n) && n > 0)} />;
  else if (Number.isInteger(runId) && runId > 0) content = <RunDetailsPage key={runId} id={runId} panel={route.params[1] ?? null} />;
  else content = <HistoryPage showImport={route.params[0] === 'import'} />;

  return (
    <div className="app">
      <header className="app-header">
        <a className="brand" href={hrefTo('datasets')}>
          MoE Workbench
        </a>
        <span className="spacer" />
        {mode === 'serve' && <span className="badge mode">serve</span>}
        <BackendBadge info={info} />
      </header>
      <nav className="app-nav" aria-label="Pages">
        <ul>
          {PAGES.map((p) => (
            <li key={p.page}>
              <a href={hrefTo(p.page)} aria-current={p.page === page ? 'page' : undefined}>
                {p.title}
              </a>
            </li>
          ))}
        </ul>
        {info && (
          <p className="nav-foot muted">
            v{info.versions.app} · tfjs {info.versions.tfjs}
            <br />
            <span className="mono wrap">{info.home}</span>
          </p>
        )}
      </nav>
      <main className="app-main" id="main">
        {/* Keyed by the page shown: the default address (no hash) is the Datasets page too. */}
        <PageErrorBoundary key={page}>{content}</PageErrorBoundary>
      </main>
    </div>
  );
}
