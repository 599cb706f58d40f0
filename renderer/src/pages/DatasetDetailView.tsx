// One registered dataset: its numbers, its warnings, a preview, and removal.
import { useState } from 'react';
import { ApiError } from '../../../shared/contract.ts';
import { useClient } from '../api/api-context.tsx';
import { Card } from '../components/Card.tsx';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { Histogram, isHistogram } from '../components/Histogram.tsx';
import { KeyValueList } from '../components/KeyValueList.tsx';
import { formatDate } from '../format.ts';
import { useQuery } from '../hooks/use-query.ts';
import { DatasetPreview } from './DatasetPreview.tsx';

export function DatasetDetailView({ name, onRemoved, onClose }: { name: string; onRemoved: () => void; onClose: () => void }) {
  const client = useClient();
  const query = useQuery(() => client.call('datasets.show', { name }), [client, name]);
  const [removeError, setRemoveError] = useState<unknown>(null);
  const [needsForce, setNeedsForce] = useState(false);

  async function remove(force: boolean) {
    const question = force ? `Remove ${name} even though runs used it? The runs stay; their dataset link is lost.` : `Remove dataset ${name}?`;
    if (!window.confirm(question)) return;
    setRemoveError(null);
    try {
      await client.call('datasets.remove', force ? { name, force } : { name });
      onRemoved();
    } catch (failure) {
      setRemoveError(failure);
      setNeedsForce(failure instanceof ApiError && failure.code === 'conflict');
    }
  }

  const d = query.data;
  const histograms = d ? Object.entries(d.stats).filter(([, v]) => isHistogram(v)) : [];
  const plainStats = d ? Object.entries(d.stats).filter(([, v]) => !isHistogram(v)) : [];
  return (
    <Card
      title={`Dataset ${name}`}
      className="dataset-detail"
      actions={
        <>
          <button type="button" className="danger" onClick={() => void remove(false)}>
            Remove
          </button>
          {needsForce && (
            <button type="button" className="danger" onClick={() => void remove(true)}>
              Remove anyway
            </button>
          )}
          <button type="button" onClick={onClose}>
            Close
          </button>
        </>
      }
    >
      <ErrorNotice error={query.error} title="Cannot show this dataset" />
      <ErrorNotice error={removeError} title="Not removed" />
      {d && (
        <>
          {d.warnings.length > 0 && (
            <div className="notice notice-warn" role="note">
              <strong>Health check</strong>
              <ul>
                {d.warnings.map((w, i) => (
                  <li key={i}>{w}</li>
                ))}
              </ul>
            </div>
          )}
          <div className="columns">
            <KeyValueList
              label="Dataset facts"
              entries={[
                ['kind', d.kind],
                ['format', d.format],
                ['version', d.version],
                ['versions', d.versions],
                ['train / validation / test', `${d.counts.train} / ${d.counts.validation} / ${d.counts.test}`],
                ['labels', d.labels.length ? d.labels.join(', ') : '—'],
                ['implicit', d.implicit ? 'yes' : 'no'],
                ['split seed', d.splitSeed],
                ['source', d.source],
                ['registered', formatDate(d.createdAt)],
              ]}
            />
            <KeyValueList label="Statistics" entries={plainStats} />
          </div>
          {histograms.length > 0 && (
            <div className="columns">
              {histograms.map(([key, counts]) => (
                <Histogram key={key} title={key} counts={counts as Record<string, number>} />
              ))}
            </div>
          )}
          <h3>Preview</h3>
          <DatasetPreview kind={d.kind} rows={d.preview} />
        </>
      )}
    </Card>
  );
}
