// The experiment store: one SQLite database in the workbench home plus the files under it.
import { openDatabase, type Db } from './database.ts';
import { ArtifactsRepo } from './artifacts-repo.ts';
import { DatasetsRepo } from './datasets-repo.ts';
import { ensureHome, type HomeLayout } from './home.ts';
import { MetricsLog } from './metrics-log.ts';
import { RunsRepo } from './runs-repo.ts';

export interface Store {
  home: HomeLayout;
  db: Db;
  datasets: DatasetsRepo;
  runs: RunsRepo;
  metrics: MetricsLog;
  artifacts: ArtifactsRepo;
  close(): void;
}

export function openStore(root: string): Store {
  const home = ensureHome(root);
  const db = openDatabase(home.database);
  const metrics = new MetricsLog(db);
  return {
    home,
    db,
    datasets: new DatasetsRepo(db),
    runs: new RunsRepo(db),
    metrics,
    artifacts: new ArtifactsRepo(db),
    close() {
      metrics.flush();
      db.close();
    },
  };
}

export type { DatasetVersionRow } from './datasets-repo.ts';
export type { RunRow, RunKind, RunStatus } from './runs-repo.ts';
export type { RoutingRow } from './metrics-log.ts';
export { resolveHome } from './home.ts';
export { NewerDatabaseError } from './migrations/index.ts';
