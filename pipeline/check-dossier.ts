import { mkdtemp, open, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { ExtractedDocument, ExtractionLimits, FileFinding, OcrEngine } from '../extractors/model.ts';
import { defaultExtractionLimits } from '../extractors/limits.ts';
import { EXTRACTOR_VERSION, OcrEngineError } from '../extractors/registry.ts';
import { sharedIsolatedExtraction, TRANSIENT_LIMIT_CODES, type FileExtractor } from '../extractors/isolation/isolated-extraction.ts';
import { extractFields } from '../extractors/fields/extract.ts';
import { DocTypeClassifier, type Classification } from '../checklists/classify.ts';
import { loadChecklist } from '../checklists/load.ts';
import { intake } from './intake/index.ts';
import type { DossierFile, IntakeLimits, IntakeResult } from './intake/model.ts';
import { aggregateFields } from './aggregate-fields.ts';
import { mapLimited } from './concurrency.ts';
import type { DeclaredFacts } from './facts.ts';
import { evaluateDossier } from './evaluate-dossier.ts';
import { buildReport } from './report/build.ts';
import type { CompletenessReport, Stage } from './report/schema.ts';

/**
 * The flow of one dossier, in order (DESIGN.md):
 *   intake → extract → classify → fields → facts → evaluate (presence rows + rules) → report.
 * Every stage is a function over plain data; this file only wires them and measures them.
 */

export interface ExtractionCache {
  get(sha256: string, extractorVersion: string): Promise<ExtractedDocument | null>;
  put(sha256: string, extractorVersion: string, doc: ExtractedDocument): Promise<void>;
}

export type ProgressEvent =
  | { stage: 'intake'; path: string }
  | { stage: 'extract'; done: number; total: number; path: string; ocrPages: number }
  | { stage: 'evaluate' };

export interface CheckOptions {
  /** A zip, a folder or a single file. */
  input: string;
  /** Jurisdiction id of a shipped checklist, or a path to a user's own checklist file. */
  checklist: string;
  stage: Stage;
  facts?: DeclaredFacts;
  ocr: OcrEngine;
  extractionLimits?: ExtractionLimits;
  intakeLimits?: Partial<IntakeLimits>;
  cache?: ExtractionCache;
  /** Let OCR engine failures reject the check (the queue retries the job) instead of marking the file unread. */
  rethrowEngineErrors?: boolean;
  /** Files extracted at the same time; OCR inside is bounded by the pool anyway. */
  concurrency?: number;
  /**
   * How one file is read. Default: in a child process with time, memory and page limits (extractors/isolation), so
   * no file can hang or crash the caller. Tests may pass extractDocument to read in-process.
   */
  extractFile?: FileExtractor;
  onProgress?: (event: ProgressEvent) => void;
  /** Where intake unpacks; a fresh temporary folder (removed afterwards) when absent. */
  workDir?: string;
}

export interface ExtractedFile {
  file: DossierFile;
  doc: ExtractedDocument;
  /** Set on a byte-identical copy of an earlier file. */
  duplicateOf?: string;
}

export async function checkDossier(options: CheckOptions): Promise<CompletenessReport> {
  const started = performance.now();
  const ownWorkDir = options.workDir ? null : await mkdtemp(join(tmpdir(), 'dossier-'));
  const workDir = options.workDir ?? ownWorkDir!;
  try {
    // Load the checklist first: a wrong city or a broken checklist file is a usage error before any work is done.
    loadChecklist(options.checklist);

    let t = performance.now();
    const intakeResult = await intake(options.input, {
      workDir,
      limits: options.intakeLimits,
      onEntry: (path) => options.onProgress?.({ stage: 'intake', path }),
    });
    const intakeMs = performance.now() - t;

    t = performance.now();
    // The unpacked bytes are needed only until they are extracted; a caller's own workDir must not fill up.
    const extracted = await extractAll(intakeResult.files, options).finally(() => removeWorkArea(intakeResult.workArea));
    const extractMs = performance.now() - t;

    options.onProgress?.({ stage: 'evaluate' });
    return evaluateExtracted({
      input: basename(options.input),
      checklist: options.checklist,
      stage: options.stage,
      facts: options.facts ?? {},
      extracted,
      unreadableEntries: intakeResult.unreadableEntries,
      skipped: intakeResult.skipped,
      intakeFindings: intakeResult.findings,
      timings: { intakeMs, extractMs, startedAt: started },
    });
  } finally {
    if (ownWorkDir) await rm(ownWorkDir, { recursive: true, force: true });
  }
}

export interface EvaluateExtractedInput {
  /** Name of the uploaded archive, folder or file, as the report shows it. */
  input: string;
  checklist: string;
  stage: Stage;
  facts: DeclaredFacts;
  extracted: ExtractedFile[];
  unreadableEntries: IntakeResult['unreadableEntries'];
  skipped: string[];
  intakeFindings: FileFinding[];
  /** Times of the stages that ran before (elsewhere, in a queue); `startedAt` is a performance.now() value. */
  timings?: { intakeMs?: number; extractMs?: number; startedAt?: number };
}

/**
 * Everything after extraction: classify → fields → facts → evaluate → report. Pure over its input (no I/O), so the
 * embedded runner, a queue's parent job and a re-check with new facts all call this same function.
 */
export function evaluateExtracted(input: EvaluateExtractedInput): CompletenessReport {
  const started = input.timings?.startedAt ?? performance.now();
  const checklist = loadChecklist(input.checklist);
  const catalogue = checklist.catalogue;

  let t = performance.now();
  const classifier = new DocTypeClassifier(catalogue);
  const classified = input.extracted.map((e) => ({
    ...e,
    classification: classifier.classify({ path: e.file.path, readable: isReadable(e.doc), pages: e.doc.pages }),
  }));
  const unreadableEntries = input.unreadableEntries.map((entry) => ({
    ...entry,
    classification: classifier.classify({ path: entry.path, readable: false, pages: [] }),
  }));
  const classifyMs = performance.now() - t;

  t = performance.now();
  const perFile = classified.map((c) => ({
    path: c.file.path,
    docTypes: c.classification.docTypes.map((d) => d.id),
    candidates: isReadable(c.doc) ? extractFields({ path: c.file.path, pages: c.doc.pages }) : [],
  }));
  const fields = aggregateFields(perFile);
  const fieldsMs = performance.now() - t;

  t = performance.now();
  const evaluation = evaluateDossier({
    checklist,
    stage: input.stage,
    declared: input.facts,
    fields,
    files: classified,
    unreadableEntries,
    perFile,
  });
  const evaluateMs = performance.now() - t;

  return buildReport({
    input: input.input,
    checklist,
    catalogue,
    stage: input.stage,
    fields,
    files: classified,
    unreadableEntries,
    skipped: input.skipped,
    intakeFindings: input.intakeFindings,
    evaluation,
    timings: {
      intakeMs: input.timings?.intakeMs ?? 0,
      extractMs: input.timings?.extractMs ?? 0,
      classifyMs,
      fieldsMs,
      evaluateMs,
      totalMs: performance.now() - started,
    },
  });
}

export interface ClassifiedFile extends ExtractedFile {
  classification: Classification;
}

/** Extract every file once per content hash; a byte-identical copy reuses the first extraction. */
export async function extractAll(files: DossierFile[], options: Pick<CheckOptions, 'ocr' | 'extractionLimits' | 'cache' | 'concurrency' | 'onProgress' | 'rethrowEngineErrors' | 'extractFile'>): Promise<ExtractedFile[]> {
  const firstBySha = new Map<string, DossierFile>();
  const unique: DossierFile[] = [];
  for (const f of files) {
    if (!firstBySha.has(f.sha256)) {
      firstBySha.set(f.sha256, f);
      unique.push(f);
    }
  }
  let done = 0;
  let ocrPages = 0;
  const limits = options.extractionLimits ?? defaultExtractionLimits;
  const docs = await mapLimited(unique, options.concurrency ?? 2, async (file) => {
    const doc = await extractOne(file, { ...options, limits });
    done += 1;
    ocrPages += doc.meta.ocrPages;
    options.onProgress?.({ stage: 'extract', done, total: unique.length, path: file.path, ocrPages });
    return doc;
  });
  const bySha = new Map(unique.map((f, i) => [f.sha256, docs[i]!]));
  return files.map((file) => {
    const first = firstBySha.get(file.sha256)!;
    return { file, doc: bySha.get(file.sha256)!, duplicateOf: first === file ? undefined : first.path };
  });
}

async function extractOne(
  file: DossierFile,
  options: { ocr: OcrEngine; limits: ExtractionLimits; cache?: ExtractionCache; rethrowEngineErrors?: boolean; extractFile?: FileExtractor },
): Promise<ExtractedDocument> {
  const cached = await options.cache?.get(file.sha256, EXTRACTOR_VERSION).catch(() => null);
  if (cached) return cached;
  const bytes = NOT_READ_KINDS.has(file.kind) ? await readHead(file.localPath) : await readFile(file.localPath);
  const extractFile = options.extractFile ?? sharedIsolatedExtraction().extract;
  try {
    const doc = await extractFile({ path: file.path, bytes, kind: file.kind }, { ocr: options.ocr, limits: options.limits });
    if (isWorthCaching(doc)) await options.cache?.put(file.sha256, EXTRACTOR_VERSION, doc).catch(() => undefined);
    return doc;
  } catch (error) {
    // The OCR engine itself failed (not the file): report the file as unread for now, and cache nothing so a
    // later run reads it. The queue worker instead lets this error through so the job is retried.
    if (!(error instanceof OcrEngineError) || options.rethrowEngineErrors) throw error;
    return {
      status: 'unreadable',
      message: error.message,
      pages: [],
      meta: { pageCount: 0, ocrPages: 0 },
      findings: [],
      extractorVersion: EXTRACTOR_VERSION,
    };
  }
}

/** A file given up on a time limit may read fine on a quieter machine: ask again next time. */
export function isWorthCaching(doc: ExtractedDocument): boolean {
  return !doc.findings.some((finding) => TRANSIENT_LIMIT_CODES.has(finding.code));
}

export async function removeWorkArea(workArea: string | undefined): Promise<void> {
  if (workArea) await rm(workArea, { recursive: true, force: true });
}

/** Kinds no extractor reads (they are listed as unsupported): their head is enough, however large the file. */
const NOT_READ_KINDS = new Set(['unknown', 'rar', '7z']);

async function readHead(path: string, bytes = 64 * 1024): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

export function isReadable(doc: ExtractedDocument): boolean {
  return doc.status === 'ok';
}
