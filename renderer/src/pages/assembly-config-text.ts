// The assembly config lives as JSON text (what the Monaco editor shows); the form reads and
// writes the same text. These helpers move between the two and check it with the contract's
// own schema.
import { AssemblyConfig, type AssemblyConfigInput } from '../../../shared/config.ts';
import type { EditorProblem } from '../components/MonacoJsonEditor.tsx';

export type ConfigDraft = Partial<AssemblyConfigInput> & Record<string, unknown>;

/** The defaults a new assembly starts from, written out so every field is visible and editable. */
/** Each field's own default (a whole-config parse would trip over cross-field rules). */
export function configDefaults(): Record<string, unknown> {
  const defaults: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(AssemblyConfig.shape)) {
    const parsed = field.safeParse(undefined);
    if (parsed.success && parsed.data !== undefined) defaults[key] = parsed.data;
  }
  return defaults;
}

export function initialConfigText(): string {
  return JSON.stringify({ experts: [], ...configDefaults() }, null, 2);
}

export function parseDraft(text: string): ConfigDraft | null {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as ConfigDraft) : null;
  } catch {
    return null;
  }
}

export function draftText(draft: ConfigDraft): string {
  return JSON.stringify(draft, null, 2);
}

export interface DraftCheck {
  config: AssemblyConfigInput | null;
  /** Cross-field rules the JSON schema cannot express: the editor marks these itself. */
  ruleProblems: EditorProblem[];
  /** Every problem the contract's schema finds (the schema's own are also marked by Monaco). */
  allProblems: EditorProblem[];
}

export function checkDraft(text: string): DraftCheck {
  const draft = parseDraft(text);
  if (!draft) return { config: null, ruleProblems: [], allProblems: [] }; // JSON syntax errors are Monaco's to mark
  const parsed = AssemblyConfig.safeParse(draft);
  if (parsed.success) return { config: draft as AssemblyConfigInput, ruleProblems: [], allProblems: [] };
  const problems = parsed.error.issues.map((i) => ({ custom: i.code === 'custom', path: i.path.filter((p): p is string | number => typeof p !== 'symbol'), message: i.message }));
  return {
    config: null,
    ruleProblems: problems.filter((p) => p.custom).map(({ path, message }) => ({ path, message })),
    allProblems: problems.map(({ path, message }) => ({ path, message })),
  };
}
