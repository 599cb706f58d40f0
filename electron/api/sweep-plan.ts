// A sweep's trials from its request: the full grid (first axis slowest) or N seeded random draws,
// and each trial's assembly config: the swept values written at their config paths over
// { experts, seed }, validated by the AssemblyConfig schema (any field the schema knows can be
// swept; a field it does not know is refused with the schema's own message).
import { AssemblyConfig } from '../../shared/config.ts';
import { ApiError, describeZodError } from '../../shared/contract.ts';
import type { SweepRequest, SweepValue } from '../../shared/explore.ts';
import { createRng, deriveSeed, randInt, random01 } from '../engine/rng.ts';

export type TrialValues = Record<string, SweepValue>;

export function planTrials(request: SweepRequest): TrialValues[] {
  if (request.random === null) {
    let trials: TrialValues[] = [{}];
    for (const axis of request.axes) {
      if (!('values' in axis)) throw new ApiError('invalid_input', `${axis.path}: a grid sweep takes value lists; ranges need random search`);
      trials = trials.flatMap((t) => axis.values.map((v) => ({ ...t, [axis.path]: v })));
    }
    return trials;
  }
  const rng = createRng(deriveSeed(request.seed, 'sweep'));
  return Array.from({ length: request.random }, () =>
    Object.fromEntries(
      request.axes.map((axis) => {
        if ('values' in axis) return [axis.path, axis.values[randInt(rng, axis.values.length)]];
        if (axis.integer) return [axis.path, Math.ceil(axis.min) + randInt(rng, Math.floor(axis.max) - Math.ceil(axis.min) + 1)];
        return [axis.path, axis.min + random01(rng) * (axis.max - axis.min)];
      }),
    ),
  );
}

/** { experts, seed } with every swept value set at its dotted path. */
export function trialInput(request: SweepRequest, values: TrialValues): Record<string, unknown> {
  const config: Record<string, unknown> = { experts: [...request.experts], seed: request.seed };
  for (const [path, value] of Object.entries(values)) {
    const keys = path.split('.');
    let node = config;
    for (const key of keys.slice(0, -1)) {
      const next = node[key];
      if (next === undefined) node[key] = {};
      else if (next === null || typeof next !== 'object' || Array.isArray(next)) throw new ApiError('invalid_input', `${path}: ${key} is not an object in the assembly config`);
      node = node[key] as Record<string, unknown>;
    }
    node[keys[keys.length - 1]] = value;
  }
  return config;
}

/** Every trial's validated config, or one error naming each invalid trial. */
export function trialConfigs(request: SweepRequest, trials: readonly TrialValues[]): AssemblyConfig[] {
  const problems: string[] = [];
  const configs = trials.map((values, i) => {
    const parsed = AssemblyConfig.safeParse(trialInput(request, values));
    if (!parsed.success) problems.push(`trial ${i} (${JSON.stringify(values)}): ${describeZodError(parsed.error)}`);
    return parsed.success ? parsed.data : null;
  });
  if (problems.length > 0) throw new ApiError('invalid_input', `invalid sweep: ${problems.slice(0, 5).join('; ')}${problems.length > 5 ? `; and ${problems.length - 5} more` : ''}`);
  return configs as AssemblyConfig[];
}
