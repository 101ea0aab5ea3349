import { createHash } from 'node:crypto';
import { createReadStream, readFileSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pipeline } from 'node:stream/promises';
import { FlowProducer, Queue, type FlowJob, type JobsOptions } from 'bullmq';
import { CATALOGUE_PATH, FACTS_PATH, listChecklists, loadChecklist } from '../../checklists/load.ts';
import { EXTRACTOR_VERSION } from '../../extractors/registry.ts';
import {
  contentFileKey,
  InvalidKeyError,
  manifestKey,
  originalFileKey,
  type BlobStore,
} from '../../storage/index.ts';
import { mapLimited } from '../concurrency.ts';
import type { DeclaredFacts } from '../../checklists/facts/index.ts';
import type { ClockEvent } from '../../checklists/clock.ts';
import { assertKnownFile, resolveDocType, type TypeCorrection } from '../corrections/index.ts';
import { intake } from '../intake/index.ts';
import { distinctContents } from '../stages/link-duplicates.ts';
import type { SegmentationCorrection } from '../stages/segment.ts';
import { storeContents } from '../stages/store-contents.ts';
import type { DossierFile, IntakeLimits, IntakeResult } from '../intake/model.ts';
import { REPORT_SCHEMA_VERSION, type CompletenessReport, type Stage } from '../report/schema.ts';
import { queueSettingsSchema, type QueueSettings } from './config.ts';
import {
  dossierIdFor,
  EXTRACT_JOB,
  extractJobId,
  MANIFEST_VERSION,
  QUEUE_NAME,
  REPORT_JOB,
  reportJobId,
  type ChecklistRef,
  type DossierManifest,
  type ExtractJobData,
  type ReportJobData,
} from './model.ts';
import { hasStoredReport } from './report-store.ts';
import type { RedisClient } from './redis.ts';
import { asQueueError, DossierStatusReader, type DossierState, type DossierStatus } from './status.ts';

export { DossierFailedError, type DossierState, type DossierStatus } from './status.ts';

export interface SubmitInput {
  /** A zip (or other archive intake understands), a folder or a single file. */
  archivePath: string;
  /** Jurisdiction id of a shipped checklist, or the path of a user's own checklist file. */
  checklist: string;
  stage: Stage;
  facts?: DeclaredFacts;
  /** The officers' doc types for some files; an unknown type or path is refused before anything is uploaded. */
  corrections?: readonly TypeCorrection[];
  /** The officers' page starts for files bound of several documents; a path intake does not find is refused. */
  segmentations?: readonly SegmentationCorrection[];
  /** The office's record of the dossier (受理, 补正, 收齐), for the rules that count days from it. */
  events?: readonly ClockEvent[];
  intakeLimits?: Partial<IntakeLimits>;
}

export interface QueueDeps {
  store: BlobStore;
  /** A connection from connectRedis/connectForSubmission (fails fast while Redis is away). Not closed by this module. */
  connection: RedisClient;
  /** Queue settings (prefix, attempts, backoff, retention); defaults as in config.ts. */
  settings?: Partial<QueueSettings>;
}

export interface Submission {
  dossierId: string;
  /** The report (parent) job; its children are `extract-<dossierId>-<sha256>`. */
  jobId: string;
  state: DossierState;
  /** True when an earlier submission of the same archive and options already did (or is doing) the work. */
  reused: boolean;
  /** Files of the dossier (0 when reused without unpacking). */
  files: number;
  /** Extract jobs added: one per distinct content. */
  extractJobs: number;
  /** Objects uploaded now (files already in storage are not uploaded again). */
  uploaded: number;
}

/** The submitting side of the distributed mode: API nodes and `dossier submit`. One instance serves many calls. */
export class DossierQueue {
  readonly settings: QueueSettings;
  private readonly queue: Queue;
  private readonly flow: FlowProducer;
  private readonly reader: DossierStatusReader;

  constructor(private readonly deps: QueueDeps) {
    this.settings = queueSettingsSchema.parse(deps.settings ?? {});
    this.queue = new Queue(QUEUE_NAME, { connection: deps.connection, prefix: this.settings.prefix });
    this.flow = new FlowProducer({ connection: deps.connection, prefix: this.settings.prefix });
    // Errors reach the caller through the rejected calls; these listeners keep them from being "unhandled".
    this.queue.on('error', () => undefined);
    this.flow.on('error', () => undefined);
    this.reader = new DossierStatusReader(this.queue, deps.store);
  }

  /** Where a submitted dossier stands (pipeline/queue/status.ts). */
  status(dossierId: string): Promise<DossierStatus> {
    return this.reader.status(dossierId);
  }

  /** Waits until the report is in storage and returns it (pipeline/queue/status.ts). */
  waitForReport(dossierId: string, options?: Parameters<DossierStatusReader['waitForReport']>[1]): Promise<CompletenessReport> {
    return this.reader.waitForReport(dossierId, options);
  }

  readReport(dossierId: string): Promise<CompletenessReport | null> {
    return this.reader.readReport(dossierId);
  }

  /**
   * Unpacks the dossier locally, uploads what storage lacks, writes the manifest and enqueues one flow: an extract
   * job per distinct file and a report job over them. Resubmitting the same archive with the same options returns
   * the earlier dossier without unpacking or uploading anything once its report exists.
   */
  async submit(input: SubmitInput): Promise<Submission> {
    const started = performance.now();
    const checklist = checklistRefOf(input.checklist);
    const facts = input.facts ?? {};
    const corrections = (input.corrections ?? []).map((c) => ({ ...c, docType: resolveDocType(loadChecklist(input.checklist).catalogue, c.docType) }));
    const segmentations = [...(input.segmentations ?? [])];
    const events = [...(input.events ?? [])];
    const identity = (sourceSha256: string) =>
      dossierIdFor({ sourceSha256, checklist, stage: input.stage, facts, corrections, segmentations, events, versions: resultVersions() });

    const isFile = (await stat(input.archivePath)).isFile();
    const archiveSha256 = isFile ? await sha256OfFile(input.archivePath) : undefined;
    let dossierId = archiveSha256 === undefined ? undefined : identity(archiveSha256);
    if (dossierId !== undefined) {
      const earlier = await this.findEarlier(dossierId);
      if (earlier) return earlier;
    }

    const workDir = await mkdtemp(join(tmpdir(), 'dossier-submit-'));
    try {
      const intakeResult = await intake(input.archivePath, { workDir, limits: input.intakeLimits });
      for (const c of [...corrections, ...segmentations]) assertKnownFile([...intakeResult.files, ...intakeResult.unreadableEntries.map((e) => ({ path: e.path, sha256: '' }))], c.path);
      const intakeMs = performance.now() - started;
      const sourceSha256 = archiveSha256 ?? folderFingerprint(intakeResult);
      if (dossierId === undefined) {
        dossierId = identity(sourceSha256);
        const earlier = await this.findEarlier(dossierId);
        if (earlier) return earlier;
      }

      const { files, uploaded } = await this.upload(dossierId, intakeResult.files);
      const manifest: DossierManifest = {
        manifestVersion: MANIFEST_VERSION,
        dossierId,
        input: basename(input.archivePath),
        sourceSha256,
        createdAt: new Date().toISOString(),
        options: { checklist, stage: input.stage, facts: facts as DossierManifest['options']['facts'], corrections, segmentations, events },
        files,
        unreadableEntries: intakeResult.unreadableEntries,
        skipped: intakeResult.skipped,
        intakeFindings: intakeResult.findings,
        intakeMs,
      };
      await this.deps.store.putJson(manifestKey(dossierId), manifest);

      const unique = distinctContents(files);
      try {
        await this.flow.add(this.flowOf(dossierId, unique));
      } catch (error) {
        throw asQueueError(error);
      }
      return { dossierId, jobId: reportJobId(dossierId), state: 'queued', reused: false, files: files.length, extractJobs: unique.length, uploaded };
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  }

  /** Closes the BullMQ clients (the Redis connection belongs to the caller). */
  async close(): Promise<void> {
    await Promise.allSettled([this.queue.close(), this.flow.close()]);
  }

  /** A finished or still running earlier submission; a failed one is cleared so that this submission retries it. */
  private async findEarlier(dossierId: string): Promise<Submission | null> {
    const jobId = reportJobId(dossierId);
    const reused = (state: DossierState): Submission => ({ dossierId, jobId, state, reused: true, files: 0, extractJobs: 0, uploaded: 0 });
    if (await hasStoredReport(this.deps.store, dossierId)) return reused('completed');
    try {
      const job = await this.queue.getJob(jobId);
      if (!job) return null;
      const state = await job.getState();
      if (state === 'failed' || state === 'completed') {
        // Failed: try again from scratch (cached extractions are reused). Completed without a report: it was deleted.
        try {
          await job.remove({ removeChildren: true });
        } catch (error) {
          // BullMQ refuses while one of its jobs is still locked by a worker (a sibling of the file that failed).
          throw new Error(`案卷 ${dossierId} 上次的检查还有任务在运行，请稍后再提交`, { cause: error });
        }
        return null;
      }
      return reused(state === 'active' || state === 'waiting-children' ? 'running' : 'queued');
    } catch (error) {
      throw asQueueError(error);
    }
  }

  private async upload(dossierId: string, intakeFiles: DossierFile[]): Promise<{ files: DossierManifest['files']; uploaded: number }> {
    const { store } = this.deps;
    let uploaded = await storeContents(store, intakeFiles);
    const files = await mapLimited(intakeFiles, 4, async (file) => {
      let originalKey: string | null;
      try {
        originalKey = originalFileKey(dossierId, file.path);
      } catch (error) {
        // A path no object key can hold (too long, odd characters): the content copy is what the jobs read anyway.
        if (!(error instanceof InvalidKeyError)) throw error;
        originalKey = null;
      }
      if (originalKey !== null) {
        const head = await store.head(originalKey);
        if (head === null || head.size !== file.size) {
          await store.put(originalKey, createReadStream(file.localPath));
          uploaded += 1;
        }
      }
      return { path: file.path, sha256: file.sha256, size: file.size, kind: file.kind, contentKey: contentFileKey(file.sha256), originalKey };
    });
    return { files, uploaded };
  }

  private flowOf(dossierId: string, unique: DossierManifest['files']): FlowJob {
    const s = this.settings;
    const common: JobsOptions = {
      attempts: s.attempts,
      backoff: { type: 'exponential', delay: s.backoffMs },
      removeOnComplete: { age: s.keepCompletedSeconds },
      removeOnFail: { age: s.keepFailedSeconds },
    };
    const reportData: ReportJobData = { dossierId, manifestKey: manifestKey(dossierId) };
    return {
      name: REPORT_JOB,
      queueName: QUEUE_NAME,
      data: reportData,
      opts: { ...common, jobId: reportJobId(dossierId) },
      children: unique.map((f) => {
        const data: ExtractJobData = { dossierId, sha256: f.sha256, contentKey: f.contentKey, path: f.path, kind: f.kind };
        return {
          name: EXTRACT_JOB,
          queueName: QUEUE_NAME,
          data,
          // A file that could not be extracted even after the retries fails the dossier instead of leaving it waiting.
          opts: { ...common, jobId: extractJobId(dossierId, f.sha256), failParentOnFailure: true },
        };
      }),
    };
  }

}

/** One submission with its own short-lived BullMQ clients; API nodes should keep a DossierQueue instead. */
export async function submitDossier(input: SubmitInput, deps: QueueDeps): Promise<Submission> {
  const queue = new DossierQueue(deps);
  try {
    return await queue.submit(input);
  } finally {
    await queue.close();
  }
}

function checklistRefOf(checklist: string): ChecklistRef {
  loadChecklist(checklist); // a wrong id or a broken file is a usage error before anything is uploaded
  const shipped = /^[a-z][a-z0-9-]*$/.test(checklist)
    ? listChecklists().find((c) => basename(c.path).replace(/\.(ya?ml|json)$/, '') === checklist)
    : undefined;
  if (shipped) return { kind: 'shipped', id: checklist, sha256: sha256OfText(readFileSync(shipped.path)) };
  const text = readFileSync(checklist, 'utf8');
  return { kind: 'file', name: basename(checklist), sha256: sha256OfText(text), text };
}

let versionsOnce: string[] | undefined;
/** Everything besides the input that decides the report: extractors, report schema, catalogue and fact data. */
function resultVersions(): string[] {
  versionsOnce ??= [
    EXTRACTOR_VERSION,
    REPORT_SCHEMA_VERSION,
    sha256OfText(readFileSync(CATALOGUE_PATH)),
    sha256OfText(readFileSync(FACTS_PATH)),
  ];
  return versionsOnce;
}

function folderFingerprint(result: IntakeResult): string {
  const listing = [
    ...result.files.map((f) => `f\t${f.path}\t${f.sha256}`),
    ...result.unreadableEntries.map((e) => `u\t${e.path}\t${e.reason}`),
  ].sort();
  return sha256OfText(listing.join('\n'));
}


async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}

function sha256OfText(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}
