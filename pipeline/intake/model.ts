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

/**
 * An entry the user submitted whose bytes intake could not (or would not) produce. Later stages list it as an
 * unreadable file of the dossier, so that it satisfies no requirement yet is not silently lost.
 */
export const UnreadableEntrySchema = z.object({
  /** Path as the user sees it, like DossierFile.path. */
  path: z.string(),
  /**
   * encrypted: password-protected entry; corrupt: damaged data (bad CRC, truncated, broken nested archive
   * directory); unsupported: a compression method we cannot inflate; refused: over a limit (zip bomb, entry size).
   */
  reason: z.enum(['encrypted', 'corrupt', 'unsupported', 'refused']),
});
export type UnreadableEntry = z.infer<typeof UnreadableEntrySchema>;

export const IntakeResultSchema = z.object({
  files: z.array(DossierFileSchema),
  /** Junk entries skipped (__MACOSX/, .DS_Store, Thumbs.db, desktop.ini, ~$ lock files), as paths. */
  skipped: z.array(z.string()),
  findings: z.array(FileFindingSchema),
  /** Entries that are part of the dossier but cannot be read (see UnreadableEntrySchema). */
  unreadableEntries: z.array(UnreadableEntrySchema).default([]),
  /** The folder intake created inside the caller's workDir; every localPath is below it. Delete it when done. */
  workArea: z.string().optional(),
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
