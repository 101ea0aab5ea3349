import { posix } from 'node:path';
import type { ExtractionCache } from '../../pipeline/index.ts';
import { diffReports } from '../../pipeline/rounds/diff.ts';
import { CompletenessReportSchema, type CompletenessReport } from '../../pipeline/report/schema.ts';
import { BlobNotFoundError, contentFileKey, roundReportKey } from '../../storage/index.ts';
import { ApiError } from '../errors.ts';
import { reevaluate } from '../processing/run-dossier.ts';
import type { StoredUpload } from './upload.ts';
import { completedRecord, UNCHECKABLE_CODE, type DossierRecord, type DossierRepository, type Manifest, type Round } from './records.ts';

export { describeRoundDiff, type RoundDiff } from '../../pipeline/rounds/diff.ts';

/**
 * 补正 rounds: a unit (or an officer) adds, replaces or withdraws files of a checked dossier, and the dossier is checked
 * again as round N. The round's files are the previous round's files (their bytes are content-addressed already)
 * changed as asked; they are checked as a folder by the same flow as an upload, so unchanged files hit the extraction
 * cache and only new ones are read. What a folder cannot show — the first upload's unreadable archive entries, its
 * junk and its intake findings — is carried from round to round. Every round's report is kept unchanged.
 */

/** What the submitter asked for besides the uploaded files. */
export interface RoundRequest {
  /** `path in the dossier=uploaded file name`, or a path alone when one uploaded file has the same file name. */
  replace: string[];
  /** Paths in the dossier to take out. */
  withdraw: string[];
  by: string;
}

/** The round number the dossier is at (1 until a 补正 was submitted). */
export function currentRoundNumber(record: DossierRecord): number {
  return record.rounds?.at(-1)?.n ?? 1;
}

/** The files a round ≥ 2 is checked with, or undefined for the first upload (its originals are checked as uploaded). */
export function roundFiles(record: DossierRecord): NonNullable<Round['files']> | undefined {
  const last = record.rounds?.at(-1);
  return last && last.n >= 2 ? last.files : undefined;
}

/**
 * Round N from the last finished check's manifest and the files just uploaded. Pure apart from its errors: an unknown
 * path to replace or withdraw, or two files that would collide, is refused before anything is queued.
 */
export function planRound(record: DossierRecord, manifest: Manifest, uploads: StoredUpload[], request: RoundRequest, at = new Date()): Round {
  const n = currentRoundNumber(record) + 1;
  const known = new Set([...manifest.files.map((f) => f.path), ...manifest.unreadableEntries.map((e) => e.path)]);
  const unknown = (path: string) => new ApiError('UNKNOWN_DOSSIER_FILE', `材料中没有“${path}”`);
  const withdrawn = [...new Set(request.withdraw.map((p) => p.trim()).filter(Boolean))];
  for (const path of withdrawn) if (!known.has(path)) throw unknown(path);

  // Each upload goes to a target path: the path it replaces, or the path it was sent with.
  const target = new Map<StoredUpload, string>();
  for (const spec of request.replace.map((s) => s.trim()).filter(Boolean)) {
    const { path, upload } = resolveReplacement(spec, known, uploads);
    if (!path) throw unknown(spec);
    if (!upload) throw new ApiError('UPLOAD_EMPTY', `没有收到替换“${path}”的文件`);
    if (withdrawn.includes(path)) throw new ApiError('VALIDATION_FAILED', `“${path}”不能同时替换和撤回`);
    target.set(upload, path);
  }
  for (const upload of uploads) if (!target.has(upload)) target.set(upload, upload.path);
  if (uploads.length === 0 && withdrawn.length === 0) throw new ApiError('UPLOAD_EMPTY', '请选择要补充或替换的文件，或要撤回的文件');

  const replaced: string[] = [];
  const added: string[] = [];
  for (const path of target.values()) {
    // A file sent under the name of one already there replaces it, whether or not the form said so.
    if (known.has(path) && !withdrawn.includes(path)) replaced.push(path);
    else added.push(path);
  }
  if (new Set(target.values()).size !== target.size) throw new ApiError('INVALID_FILE_PATH', '两个上传的文件对应材料中的同一路径');
  const gone = new Set([...withdrawn, ...replaced]);
  const files = [
    ...manifest.files.filter((f) => !gone.has(f.path)).map((f) => ({ path: f.path, sha256: f.sha256, size: f.size, key: contentFileKey(f.sha256) })),
    ...uploads.map((u) => ({ path: target.get(u)!, sha256: u.sha256, size: u.size, key: u.key })),
  ];
  assertNoCollisions(files.map((f) => f.path));
  if (files.length === 0) throw new ApiError('VALIDATION_FAILED', '不能撤回全部文件：补正后材料中至少要有一个文件');
  const unchanged = (path: string | undefined) => path === undefined || (known.has(path) && !gone.has(path));
  return {
    n,
    at: at.toISOString(),
    by: request.by,
    added,
    replaced,
    withdrawn,
    files,
    carried: {
      unreadableEntries: manifest.unreadableEntries.filter((e) => !gone.has(e.path)),
      skipped: manifest.skipped,
      findings: manifest.findings.filter((f) => unchanged(f.path)),
    },
  };
}

function resolveReplacement(spec: string, known: Set<string>, uploads: StoredUpload[]): { path?: string; upload?: StoredUpload } {
  const byName = (name: string) => uploads.find((u) => u.path === name) ?? uploads.find((u) => posix.basename(u.path) === posix.basename(name));
  if (known.has(spec)) return { path: spec, upload: byName(spec) };
  // Either side may hold "=": try every split whose left side is a path of the dossier.
  for (let i = spec.indexOf('='); i > 0; i = spec.indexOf('=', i + 1)) {
    const path = spec.slice(0, i);
    if (known.has(path)) return { path, upload: byName(spec.slice(i + 1)) };
  }
  return {};
}

/** No two files at one path, and no file where another needs a folder (they are written out as a folder). */
function assertNoCollisions(paths: string[]): void {
  const files = new Set<string>();
  for (const path of paths) {
    if (files.has(path)) throw new ApiError('INVALID_FILE_PATH', `“${path}”重名`);
    files.add(path);
  }
  for (const path of paths) {
    const segments = path.split('/');
    for (let i = 1; i < segments.length; i++) {
      const parent = segments.slice(0, i).join('/');
      if (files.has(parent)) throw new ApiError('INVALID_FILE_PATH', `“${path}”与文件“${parent}”冲突`);
    }
  }
}

/** The record with round 1 written out, for records checked before rounds were kept. */
export function withFirstRound(record: DossierRecord): DossierRecord {
  if (record.rounds?.length) return record;
  return {
    ...record,
    rounds: [
      {
        n: 1,
        at: record.createdAt,
        by: record.owner.name ?? record.owner.unit ?? '提交人',
        added: [],
        replaced: [],
        withdrawn: [],
        verdict: record.result?.verdict,
        reportGeneratedAt: record.result?.checkedAt,
      },
    ],
  };
}

/**
 * A round's manifest: the folder's own intake for the files it shows, plus what earlier rounds carried. The folder's
 * findings about unchanged files are dropped (the carried ones are the original upload's).
 */
export function mergeCarried(manifest: Manifest, round: Round): Manifest {
  const carried = round.carried;
  if (!carried) return manifest;
  const fresh = new Set([...round.added, ...round.replaced]);
  const isFresh = (path: string | undefined) => path !== undefined && [...fresh].some((p) => path === p || path.startsWith(`${p}/`));
  const unreadable = new Map(carried.unreadableEntries.map((e) => [e.path, e]));
  for (const entry of manifest.unreadableEntries) unreadable.set(entry.path, entry);
  return {
    files: manifest.files,
    skipped: [...new Set([...carried.skipped, ...manifest.skipped])],
    findings: [...carried.findings, ...manifest.findings.filter((f) => isFresh(f.path))],
    unreadableEntries: [...unreadable.values()],
  };
}

export async function readRoundReport(repo: DossierRepository, id: string, n: number): Promise<CompletenessReport | null> {
  try {
    return await repo.store.getJson(roundReportKey(id, n), CompletenessReportSchema);
  } catch (error) {
    if (error instanceof BlobNotFoundError) return null;
    throw error;
  }
}

/** Writes a round's report once; a later run of the same round (re-queued after an extractor upgrade) keeps the first. */
export async function keepRoundReport(repo: DossierRepository, id: string, n: number, report: CompletenessReport): Promise<void> {
  if (await repo.store.head(roundReportKey(id, n))) return;
  await repo.store.putJson(roundReportKey(id, n), report);
}

/**
 * The end of a check in either processor: a round ≥ 2 gains what earlier rounds carried (re-evaluated from the cached
 * extractions), manifest and report are stored, the round's report is kept unchanged with its diff against the
 * round before, and the record is completed. Null when the dossier was deleted meanwhile.
 */
export async function finishCheck(
  parts: { repo: DossierRepository; cache: ExtractionCache },
  id: string,
  report: CompletenessReport,
  manifest: Manifest,
  filesTotal?: number,
): Promise<DossierRecord | null> {
  const { repo } = parts;
  const record = await repo.get(id);
  if (!record) return null;
  const round = record.rounds?.at(-1);
  let finalReport = report;
  let finalManifest = manifest;
  if (round && round.n >= 2 && round.carried) {
    finalManifest = mergeCarried(manifest, round);
    finalReport = (await reevaluate(parts, record, finalManifest)) ?? report;
  }
  await repo.putManifest(id, finalManifest);
  await repo.putReport(id, finalReport);
  const n = round?.n ?? 1;
  await keepRoundReport(repo, id, n, finalReport);
  const kept = (await readRoundReport(repo, id, n)) ?? finalReport;
  const previous = n > 1 ? await readRoundReport(repo, id, n - 1) : null;
  const diff = previous ? diffReports(previous, kept) : undefined;
  return repo.update(id, (r) => {
    const completed = withFirstRound(completedRecord(r, finalReport, filesTotal ?? r.progress.total));
    const rounds = completed.rounds!.map((x) =>
      x.n === n && !x.reportGeneratedAt ? { ...x, verdict: kept.verdict.text, reportGeneratedAt: kept.generatedAt, ...(diff ? { diff } : {}) } : x,
    );
    return { ...completed, rounds };
  });
}

/**
 * Records round `n` on the dossier and leaves it queued: the caller then hands it to its processor. The uploads are
 * already stored (their keys in `uploads`). One change per dossier at a time; a dossier being checked, or one that
 * moved on to another round since `n` was chosen, is busy.
 */
export async function startRound(repo: DossierRepository, id: string, n: number, uploads: StoredUpload[], request: RoundRequest): Promise<{ record: DossierRecord; round: Round }> {
  return repo.exclusive(id, async () => {
    const current = await repo.get(id);
    if (!current) throw new ApiError('DOSSIER_NOT_FOUND');
    if (current.status === 'queued' || current.status === 'processing' || currentRoundNumber(current) + 1 !== n) throw new ApiError('DOSSIER_BUSY');
    const uncheckable = current.status === 'failed' && current.error?.code === UNCHECKABLE_CODE;
    if (current.status === 'failed' && !uncheckable) throw new ApiError('DOSSIER_FAILED', '请重新上传材料');
    const manifest = await repo.getManifest(id);
    const report = await repo.getReport(id);
    if (!manifest || !report) throw new ApiError('DOSSIER_FAILED', '上一轮没有可用的检查结果');
    const base = withFirstRound(current);
    // The round just ended keeps its report before anything changes (records from before rounds were kept).
    await keepRoundReport(repo, id, n - 1, report);
    const round = planRound(base, manifest, uploads, request);
    const gone = new Set([...round.withdrawn, ...round.replaced]);
    const next: DossierRecord = {
      ...base,
      rounds: [...base.rounds!, round],
      // An officer's type for a file that was withdrawn or replaced no longer names that content.
      typeCorrections: base.typeCorrections?.filter((c) => !gone.has(c.path)),
      // The statutory clock: the 补正 arrived, the pause (if one was requested) ends.
      events: [...(base.events ?? []), { kind: 'supplement_received', at: round.at, by: request.by }],
      status: 'queued',
      result: undefined,
      error: undefined,
      attempts: undefined,
      progress: { stage: 'queued', done: 0, total: 0, percent: 0, message: `第 ${n} 轮补正已收到，排队等待检查` },
      updatedAt: new Date().toISOString(),
    };
    await repo.put(next);
    return { record: next, round };
  });
}
