import type { CompletenessReport } from '../../pipeline/index.ts';
import type { AppContext } from '../context.ts';
import { ApiError } from '../errors.ts';
import { reevaluate } from '../processing/run-dossier.ts';
import { eventsAfterCheck, type DossierRecord } from './records.ts';

export type ReevaluationOutcome =
  /** Re-evaluated in this request from the cached extractions: nothing was unpacked or read again. */
  | { kind: 'reevaluated'; record: DossierRecord; report: CompletenessReport }
  /** The extractions are gone (extractor upgraded) or the first run failed: queued again from the upload. */
  | { kind: 'requeued'; record: DossierRecord };

/**
 * Saves what an officer changed on a finished dossier (declared facts, a file's type) and checks it again. Both modes
 * re-evaluate here: the extraction cache is the shared store, so no worker has to read a file again. One change per
 * dossier at a time; a dossier still being checked is busy.
 */
export async function changeAndReevaluate(
  ctx: AppContext,
  id: string,
  change: (current: DossierRecord) => DossierRecord,
  requeuedMessage: string,
): Promise<ReevaluationOutcome> {
  const outcome = await ctx.repo.exclusive(id, async (): Promise<ReevaluationOutcome> => {
    const current = await ctx.repo.get(id);
    if (!current) throw new ApiError('DOSSIER_NOT_FOUND');
    if (current.status === 'queued' || current.status === 'processing') throw new ApiError('DOSSIER_BUSY');
    const next: DossierRecord = { ...change(current), updatedAt: new Date().toISOString() };
    const manifest = current.status === 'done' ? await ctx.repo.getManifest(id) : null;
    const report = manifest ? await reevaluate(ctx, next, manifest) : null;
    if (!report) {
      // A new start from the upload: the count of interrupted starts begins again (embedded.ts).
      await ctx.repo.put({
        ...next,
        status: 'queued',
        result: undefined,
        error: undefined,
        attempts: undefined,
        progress: { stage: 'queued', done: 0, total: 0, percent: 0, message: requeuedMessage },
      });
      return { kind: 'requeued', record: (await ctx.repo.get(id))! };
    }
    await ctx.repo.putReport(id, report);
    const saved = await ctx.repo.put({
      ...next,
      events: eventsAfterCheck(next, report),
      result: {
        complete: report.complete,
        verdict: report.verdict.text,
        projectName: typeof report.fields.projectName?.value === 'string' ? report.fields.projectName.value : undefined,
        summary: report.summary,
        checkedAt: report.generatedAt,
        rechecks: (current.result?.rechecks ?? 0) + 1,
      },
      progress: { ...current.progress, message: `重新核对完成：${report.verdict.text}` },
    });
    return { kind: 'reevaluated', record: saved, report };
  });
  // Outside the lock: the distributed processor's submit updates the record itself (under the same lock).
  if (outcome.kind === 'requeued') await ctx.processor.submit(id);
  return outcome;
}
