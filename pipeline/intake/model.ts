import { z } from 'zod';
import { FileFindingSchema, FileKindSchema } from '../../extractors/model.ts';

export const DossierFileSchema = z.object({
  /** Path as the user sees it: decoded, NFC, '/'-separated; a file inside a nested zip is `inner.zip/name.pdf`. */
  path: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  size: z.number().int().nonnegative(),
  kind: FileKindSchema,
  /** Where intake put the bytes inside its work area (never outside it). */
  localPath: z.string(),
});
export type DossierFile = z.infer<typeof DossierFileSchema>;

export const IntakeResultSchema = z.object({
  files: z.array(DossierFileSchema),
  /** Junk entries skipped (__MACOSX/, .DS_Store, Thumbs.db, desktop.ini, ~$ lock files), as paths. */
  skipped: z.array(z.string()),
  findings: z.array(FileFindingSchema),
});
export type IntakeResult = z.infer<typeof IntakeResultSchema>;

/** Limits on what intake will unpack; defaults are safe for a 2-core, 24 GiB server. */
export const IntakeLimitsSchema = z.object({
  /** Total uncompressed bytes across all entries, nested archives included. Default 2 GiB. */
  maxTotalBytes: z.number().int().positive().default(2 * 1024 ** 3),
  /** Number of entries across all archives. Default 10 000. */
  maxEntries: z.number().int().positive().default(10_000),
  /** Per-entry uncompressed/compressed ratio above which an entry is refused as a zip bomb. Default 200. */
  maxCompressionRatio: z.number().positive().default(200),
  /** Nesting depth of archives inside archives. Default 3. */
  maxDepth: z.number().int().nonnegative().default(3),
  /** Single entry size. Default 512 MiB. */
  maxEntryBytes: z.number().int().positive().default(512 * 1024 ** 2),
});
export type IntakeLimits = z.infer<typeof IntakeLimitsSchema>;
