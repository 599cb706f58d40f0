// A table cell shaded by a fraction in [0, 1]: white to deep blue, its text turning white past
// the middle for contrast. The routing heatmap and the per-token gate weights share the scale.
import type { TdHTMLAttributes } from 'react';

export function HeatCell({ shade, ...cell }: { shade: number } & Omit<TdHTMLAttributes<HTMLTableCellElement>, 'className' | 'style'>) {
  const lightness = 97 - Math.min(1, Math.max(0, shade)) * 62;
  return <td {...cell} className="heat-cell" style={{ background: `hsl(217 80% ${lightness}%)`, color: shade > 0.55 ? '#fff' : '#111827' }} />;
}
