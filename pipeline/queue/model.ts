import { createHash } from 'node:crypto';
import { z } from 'zod';
import { FileFindingSchema, FileKindSchema } from '../../extractors/model.ts';
import { UnreadableEntrySchema } from '../intake/model.ts';
import { FactValueSchema, StageSchema } from '../report/schema.ts';
import type { DeclaredFacts } from '../../checklists/facts/index.ts';
import { ClockEventSchema, type ClockEvent } from '../../checklists/clock.ts';
import { TypeCorrectionsSchema, type TypeCorrection } from '../corrections/schema.ts';
import { SegmentationCorrectionSchema, type SegmentationCorrection } from '../stages/segment.ts';

/**
 * What travels through Redis and what a submission leaves in the blob store. Jobs carry object keys and hashes,
 * never file bytes or extracted text: Redis holds a few hundred bytes per file, the blob store holds the rest.
 */

/** One queue for both kinds of job; BullMQ keys are `<prefix>:checks:…`. */
export const QUEUE_NAME = 'checks';
export const EXTRACT_JOB = 'extract';
export const REPORT_JOB = 'report';

/** Bumped when the manifest or the way a dossier id is derived changes. */
export const MANIFEST_VERSION = 1;

export const ChecklistRefSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('shipped'), id: z.string(), sha256: z.string() }),
  // A user's own checklist file travels inside the manifest, so a worker on another machine can load it.
  z.object({ kind: z.literal('file'), name: z.string(), sha256: z.string(), text: z.string() }),
]);
export type ChecklistRef = z.infer<typeof ChecklistRefSchema>;

export const ManifestFileSchema = z.object({
  path: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  size: z.number().int().nonnegative(),
  kind: FileKindSchema,
  /** `files/<sha256>`: what the extract job reads. */
  contentKey: z.string(),
  /** `dossiers/<id>/original/<path>`; null when the path cannot be a key (then only the content copy exists). */
  originalKey: z.string().nullable(),
});
export type ManifestFile = z.infer<typeof ManifestFileSchema>;

export const DossierManifestSchema = z.object({
  manifestVersion: z.literal(MANIFEST_VERSION),
  dossierId: z.string(),
  /** Name of the uploaded archive, folder or file, as the report shows it. */
  input: z.string(),
  /** SHA-256 of the archive (or, for a folder, of its file list). */
  sourceSha256: z.string(),
  createdAt: z.string(),
  options: z.object({
    checklist: ChecklistRefSchema,
    stage: StageSchema,
    facts: z.record(z.string(), FactValueSchema),
    /** The officers' doc types for some files (pipeline/corrections); absent in manifests from before. */
    corrections: TypeCorrectionsSchema.default([]),
    /** The officers' page starts for files bound of several documents (`--pages`, PUT …/files/pages). */
    segmentations: z.array(SegmentationCorrectionSchema).default([]),
    /** The office's record of the dossier (受理, 补正, 收齐): dates some rules count from; absent in manifests from before. */
    events: z.array(ClockEventSchema).default([]),
  }),
  files: z.array(ManifestFileSchema),
  unreadableEntries: z.array(UnreadableEntrySchema),
  skipped: z.array(z.string()),
  intakeFindings: z.array(FileFindingSchema),
  intakeMs: z.number(),
});
export type DossierManifest = z.infer<typeof DossierManifestSchema>;

export const ExtractJobDataSchema = z.object({
  dossierId: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** Where the bytes are: `files/<sha256>`. */
  contentKey: z.string(),
  /** The file's path in the dossier, for messages only. */
  path: z.string(),
  kind: FileKindSchema,
});
export type ExtractJobData = z.infer<typeof ExtractJobDataSchema>;

export const ExtractJobResultSchema = z.object({
  sha256: z.string(),
  /** The extractor build that produced the cached result; the report job reads that exact entry. */
  extractorVersion: z.string(),
  status: z.string(),
  pageCount: z.number().int().nonnegative(),
  ocrPages: z.number().int().nonnegative(),
  /** True when the result came from the extraction cache (no parsing, no OCR). */
  cached: z.boolean(),
  startedAt: z.number(),
  finishedAt: z.number(),
});
export type ExtractJobResult = z.infer<typeof ExtractJobResultSchema>;

/** Progress of an extract job, per page. */
export const ExtractProgressSchema = z.object({
  path: z.string(),
  pagesDone: z.number().int().nonnegative(),
  pageCount: z.number().int().nonnegative(),
  ocrPages: z.number().int().nonnegative(),
});
export type ExtractProgress = z.infer<typeof ExtractProgressSchema>;

export const ReportJobDataSchema = z.object({
  dossierId: z.string(),
  manifestKey: z.string(),
});
export type ReportJobData = z.infer<typeof ReportJobDataSchema>;

export const ReportJobResultSchema = z.object({
  dossierId: z.string(),
  complete: z.boolean(),
  missing: z.number().int(),
  unreadable: z.number().int(),
  needsConfirmation: z.number().int(),
  files: z.number().int(),
  ocrPages: z.number().int(),
  /** False when an earlier run had already written the report (this run only confirmed it). */
  wroteReport: z.boolean(),
});
export type ReportJobResult = z.infer<typeof ReportJobResultSchema>;

export function reportJobId(dossierId: string): string {
  return `report-${dossierId}`;
}

/** Per dossier and file: a file shared with another dossier gets its own job (the extraction cache is shared). */
export function extractJobId(dossierId: string, sha256: string): string {
  return `extract-${dossierId}-${sha256}`;
}

export interface DossierIdentity {
  sourceSha256: string;
  checklist: ChecklistRef;
  stage: string;
  facts: DeclaredFacts;
  /** The officers' doc types; the same upload with other corrections is another result. */
  corrections?: readonly TypeCorrection[];
  /** The officers' page starts; the same upload split otherwise is another result. */
  segmentations?: readonly SegmentationCorrection[];
  /** The office's record of the dossier; the same upload with another record is another result. */
  events?: readonly ClockEvent[];
  /** Anything else that changes the result: extractor build, report schema. */
  versions: readonly string[];
}

/**
 * Same archive, same options, same software → same id, so a resubmission finds the earlier work. The checklist is
 * identified by the hash of its content, so an edited checklist gives a fresh check.
 */
export function dossierIdFor(identity: DossierIdentity): string {
  const canonical = JSON.stringify([
    MANIFEST_VERSION,
    identity.sourceSha256,
    identity.checklist.kind === 'shipped' ? ['shipped', identity.checklist.id, identity.checklist.sha256] : ['file', identity.checklist.sha256],
    identity.stage,
    canonicalFacts(identity.facts),
    identity.versions,
    // Only when there are any, so the ids of every dossier without corrections stay what they were.
    ...(identity.corrections?.length ? [identity.corrections.map((c) => [c.path, c.docType, c.by, c.at])] : []),
    // Likewise: only when an officer set page starts, tagged so they can never read as corrections.
    ...(identity.segmentations?.length ? [['pages', identity.segmentations.map((s) => [s.path, s.starts])]] : []),
    ...(identity.events?.length ? [['events', identity.events]] : []),
  ]);
  return `d-${createHash('sha256').update(canonical).digest('hex').slice(0, 32)}`;
}

function canonicalFacts(facts: DeclaredFacts): Array<[string, unknown]> {
  return Object.keys(facts)
    .sort()
    .map((name) => {
      const value = facts[name];
      // Sets are unordered: `a,b` and `b,a` declare the same thing.
      return [name, Array.isArray(value) ? [...value].sort() : value];
    });
}
