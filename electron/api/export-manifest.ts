// The manifest of an exported model folder: what it is, where it came from, and a hash of every
// file, so that an import can check the folder is whole and unaltered.
import { z } from 'zod';

export const EXPORT_FORMAT = 'moe-workbench-export';
export const EXPORT_FORMAT_VERSION = 1;
export const MANIFEST_FILE = 'manifest.json';

export const ExportManifest = z.object({
  format: z.literal(EXPORT_FORMAT),
  format_version: z.literal(EXPORT_FORMAT_VERSION),
  exported_at: z.string(),
  source_run: z.object({
    id: z.number().int(),
    kind: z.string(),
    type: z.enum(['expert', 'assembly', 'anchor']),
    seed: z.number().int(),
    backend: z.string(),
    versions: z.record(z.string(), z.string()),
    config: z.record(z.string(), z.unknown()),
    datasets: z.array(z.object({ name: z.string(), version: z.string() })),
    metrics: z.unknown(),
  }),
  /**
   * An expert trained against an anchor (its encoder, frozen, is in this folder's weights): the
   * anchor run, its datasets and the sha256 of its model files, so the lineage survives the export.
   */
  anchor: z.object({ run: z.number().int(), datasets: z.array(z.object({ name: z.string(), version: z.string() })), model: z.array(z.object({ path: z.string(), sha256: z.string() })) }).optional(),
  /** Copied from the model description: tasks with label sets and metric names, tokenizer and image settings, router settings. */
  model: z.record(z.string(), z.unknown()),
  components: z.array(z.object({ path: z.string(), sha256: z.string().regex(/^[0-9a-f]{64}$/), bytes: z.number().int().nonnegative() })).min(1),
});
export type ExportManifest = z.infer<typeof ExportManifest>;
