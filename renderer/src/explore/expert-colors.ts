// One colour per expert, by router order, shared by every explorer view and its legend.
import { SERIES_COLORS } from '../components/chart-data.ts';

export function expertColor(experts: readonly string[], expert: string): string {
  const i = experts.indexOf(expert);
  return SERIES_COLORS[(i < 0 ? 0 : i) % SERIES_COLORS.length];
}

/** `#rrggbb` with an alpha in [0, 1]: the weight as intensity. */
export function withAlpha(hex: string, alpha: number): string {
  const a = Math.round(Math.min(1, Math.max(0.12, alpha)) * 255);
  return `${hex}${a.toString(16).padStart(2, '0')}`;
}
