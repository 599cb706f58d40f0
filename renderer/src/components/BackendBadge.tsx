// The compute backend in use, always in view; when the native backend is missing, the reason
// and the fix are one hover (or focus) away and also spelled out for screen readers.
import type { ResponseOf } from '../../../shared/contract.ts';

export function BackendBadge({ info }: { info: ResponseOf<'info'> | null }) {
  if (!info) return <span className="badge backend">backend: …</span>;
  const hint = info.nativeBackendHint;
  return (
    <span className="backend-wrap">
      <span className={`badge backend backend-${info.backend}`} data-testid="backend-badge" tabIndex={hint ? 0 : undefined} title={hint ?? `TensorFlow.js ${info.versions.tfjs}`} aria-describedby={hint ? 'backend-hint' : undefined}>
        backend: {info.backend}
      </span>
      {hint && (
        <span id="backend-hint" className="backend-hint">
          {hint}
        </span>
      )}
    </span>
  );
}
