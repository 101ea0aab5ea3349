import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadChecklist } from '../checklists/load.ts';
import type { DeclaredFacts } from '../checklists/facts/index.ts';
import { assertKnownFile, resolveDocType, type TypeCorrection } from './corrections/index.ts';
import { intake } from './intake/index.ts';
import type { DossierFile, IntakeLimits, IntakeResult } from './intake/model.ts';
import type { CompletenessReport, Stage } from './report/schema.ts';
import { evaluateExtracted, type EvaluateExtractedInput } from './stages/evaluate.ts';
import type { SegmentationCorrection } from './stages/segment.ts';
import { extractAll, type ExtractOptions } from './stages/extract.ts';

/**
 * The flow of one dossier, in order. Every entry point runs these same stage functions:
 *
 *   1. intake-and-store  pipeline/intake (unpack safely, sniff, limits) and, where a store keeps the files, their bytes
 *   2. extract-all       stages/extract: each distinct content once, cached, in an isolated reader process
 *   3. link-duplicates   stages/link-duplicates: later byte-identical copies point at the first
 *   4. evaluate          stages/evaluate: classify → fields → facts → checklist rows and rules
 *   5. build-report      report/build, called at the end of evaluate
 *
 * `dossier check` (cli) and the embedded API (api/processing) run all five here, in one process. The queue runs the
 * same functions spread over jobs: submission does 1 (pipeline/queue/client.ts), one job per file does 2 through
 * extractOne (processors/extract.ts), the dossier's parent job does 3–5 (processors/report.ts). A re-check with new
 * facts or an officer's type corrections (pipeline/corrections) runs 3–5 on what the first run left in the cache.
 */
export const DOSSIER_STAGES = ['intake-and-store', 'extract-all', 'link-duplicates', 'evaluate', 'build-report'] as const;

export interface DossierFlowOptions extends ExtractOptions {
  /** A zip (or other archive), a folder or a single file. */
  input: string;
  /** How the report names the input; default its file name. */
  inputName?: string;
  /** Jurisdiction id of a shipped checklist, or a path to a user's own checklist file. */
  checklist: string;
  stage: Stage;
  facts?: DeclaredFacts;
  /** The office's record of the dossier (受理, 收齐, 补正), when it has one: the time-limit rules count from it. */
  events?: EvaluateExtractedInput['events'];
  /** The officer's doc types for some files (`--type`); an unknown type or path stops the run before extraction. */
  corrections?: readonly TypeCorrection[];
  /** The officer's page starts for files bound of several documents (`--pages`); replace the automatic split. */
  segmentations?: readonly SegmentationCorrection[];
  intakeLimits?: Partial<IntakeLimits>;
  /** Where intake unpacks; a fresh temporary folder (removed afterwards) when absent. */
  workDir?: string;
  /** The "store" of intake-and-store: keeps the unpacked files' bytes before they are extracted. */
  storeContents?: (files: DossierFile[]) => Promise<void>;
}

export interface DossierFlowResult {
  report: CompletenessReport;
  intake: IntakeResult;
}

export async function runDossierFlow(options: DossierFlowOptions): Promise<DossierFlowResult> {
  const started = performance.now();
  // A wrong city, a broken checklist file or a correction naming no doc type is a usage error before any work is done.
  const { catalogue } = loadChecklist(options.checklist);
  for (const c of options.corrections ?? []) resolveDocType(catalogue, c.docType);
  const ownWorkDir = options.workDir ? null : await mkdtemp(join(tmpdir(), 'dossier-'));
  const workDir = options.workDir ?? ownWorkDir!;
  let workArea: string | undefined;
  try {
    let t = performance.now();
    const intakeResult = await intake(options.input, {
      workDir,
      limits: options.intakeLimits,
      onEntry: (path) => options.onProgress?.({ stage: 'intake', path }),
    });
    workArea = intakeResult.workArea;
    // …and one naming no file of the dossier, before any file is read.
    for (const c of options.corrections ?? []) assertKnownFile([...intakeResult.files, ...intakeResult.unreadableEntries.map((e) => ({ path: e.path, sha256: '' }))], c.path);
    await options.storeContents?.(intakeResult.files);
    const intakeMs = performance.now() - t;

    t = performance.now();
    const extracted = await extractAll(intakeResult.files, options);
    const extractMs = performance.now() - t;
    // The unpacked bytes are needed only until they are extracted; a caller's own workDir must not fill up.
    await removeFolder(workArea);
    workArea = undefined;

    options.onProgress?.({ stage: 'evaluate' });
    const report = evaluateExtracted({
      input: options.inputName ?? basename(options.input),
      checklist: options.checklist,
      stage: options.stage,
      facts: options.facts ?? {},
      events: options.events,
      corrections: options.corrections,
      segmentations: options.segmentations,
      extracted,
      unreadableEntries: intakeResult.unreadableEntries,
      skipped: intakeResult.skipped,
      intakeFindings: intakeResult.findings,
      timings: { intakeMs, extractMs, startedAt: started },
    });
    return { report, intake: intakeResult };
  } finally {
    // Clean-up always runs, whichever stage failed.
    await removeFolder(workArea);
    await removeFolder(ownWorkDir ?? undefined);
  }
}

async function removeFolder(path: string | undefined): Promise<void> {
  if (path) await rm(path, { recursive: true, force: true });
}
