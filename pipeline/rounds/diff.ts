import { z } from 'zod';
import type { CompletenessReport } from '../report/schema.ts';

/**
 * What one 补正 round changed, read off two reports of the same dossier (round N−1 and round N). Pure: the same two
 * reports always give the same diff, so it can be recomputed from the stored round reports at any time.
 */

const RowRefSchema = z.object({ id: z.string(), title: z.string(), status: z.string() });
const FindingRefSchema = z.object({ severity: z.enum(['error', 'warning']), message: z.string(), ruleId: z.string() });

export const RoundDiffSchema = z.object({
  /** Rows satisfied now that were not before. */
  newlySatisfied: z.array(RowRefSchema),
  /** Rows missing (or unreadable) before and still now. */
  stillMissing: z.array(RowRefSchema),
  /** Rows missing (or unreadable) now that were satisfied or not required before (a file withdrawn, a fact changed). */
  newlyMissing: z.array(RowRefSchema),
  /** Error and warning findings that the earlier report did not have. */
  newFindings: z.array(FindingRefSchema),
  /** Error and warning findings of the earlier report that are gone. */
  resolvedFindings: z.array(FindingRefSchema),
  /** Paths of the dossier, as the report names them. */
  files: z.object({ added: z.array(z.string()), replaced: z.array(z.string()), withdrawn: z.array(z.string()) }),
  verdictBefore: z.string(),
  verdictAfter: z.string(),
});
export type RoundDiff = z.infer<typeof RoundDiffSchema>;

type Row = CompletenessReport['requirements'][number];
type Finding = CompletenessReport['findings'][number];

const isMissing = (row: Row | undefined) => row !== undefined && (row.status === 'missing' || row.status === 'unreadable');
const rowRef = (row: Row) => ({ id: row.id, title: row.title, status: row.status });
const findingKey = (f: Finding) => `${f.ruleId}\u0000${f.severity}\u0000${f.message}`;
const findingRef = (f: Finding) => ({ severity: f.severity as 'error' | 'warning', message: f.message, ruleId: f.ruleId });
const serious = (f: Finding) => f.severity === 'error' || f.severity === 'warning';

export function diffReports(before: CompletenessReport, after: CompletenessReport): RoundDiff {
  const earlier = new Map(before.requirements.map((r) => [r.id, r]));
  const newlySatisfied: Row[] = [];
  const stillMissing: Row[] = [];
  const newlyMissing: Row[] = [];
  for (const row of after.requirements) {
    const old = earlier.get(row.id);
    if (row.status === 'satisfied' && old?.status !== 'satisfied') newlySatisfied.push(row);
    else if (isMissing(row) && isMissing(old)) stillMissing.push(row);
    else if (isMissing(row)) newlyMissing.push(row);
  }
  const beforeFindings = new Set(before.findings.filter(serious).map(findingKey));
  const afterFindings = new Set(after.findings.filter(serious).map(findingKey));
  const beforeFiles = new Map(filesOf(before).map((f) => [f.path, f.sha256]));
  const afterFiles = new Map(filesOf(after).map((f) => [f.path, f.sha256]));
  return {
    newlySatisfied: newlySatisfied.map(rowRef),
    stillMissing: stillMissing.map(rowRef),
    newlyMissing: newlyMissing.map(rowRef),
    newFindings: after.findings.filter((f) => serious(f) && !beforeFindings.has(findingKey(f))).map(findingRef),
    resolvedFindings: before.findings.filter((f) => serious(f) && !afterFindings.has(findingKey(f))).map(findingRef),
    files: {
      added: [...afterFiles.keys()].filter((p) => !beforeFiles.has(p)),
      replaced: [...afterFiles].filter(([p, sha]) => beforeFiles.has(p) && beforeFiles.get(p) !== sha).map(([p]) => p),
      withdrawn: [...beforeFiles.keys()].filter((p) => !afterFiles.has(p)),
    },
    verdictBefore: before.verdict.text,
    verdictAfter: after.verdict.text,
  };
}

/** Files as a report lists them; an unreadable entry has no bytes and so no digest, its path still counts. */
function filesOf(report: CompletenessReport): Array<{ path: string; sha256: string }> {
  return report.files.map((f) => ({ path: f.path, sha256: f.sha256 }));
}

/** The diff in a few Chinese lines, for the CLI and the Markdown of a round. */
export function describeRoundDiff(n: number, diff: RoundDiff): string[] {
  const names = (rows: Array<{ id: string; title: string }>) => rows.map((r) => `${r.title}（${r.id}）`).join('、');
  const lines = [`第 ${n} 轮补正：${diff.verdictBefore} → ${diff.verdictAfter}`];
  if (diff.files.added.length) lines.push(`新增文件：${diff.files.added.join('、')}`);
  if (diff.files.replaced.length) lines.push(`替换文件：${diff.files.replaced.join('、')}`);
  if (diff.files.withdrawn.length) lines.push(`撤回文件：${diff.files.withdrawn.join('、')}`);
  if (diff.newlySatisfied.length) lines.push(`新满足：${names(diff.newlySatisfied)}`);
  if (diff.newlyMissing.length) lines.push(`新缺少：${names(diff.newlyMissing)}`);
  if (diff.stillMissing.length) lines.push(`仍缺少：${names(diff.stillMissing)}`);
  if (diff.newFindings.length) lines.push(`新发现的问题：${diff.newFindings.map((f) => f.message).join('；')}`);
  if (diff.resolvedFindings.length) lines.push(`已解决的问题：${diff.resolvedFindings.map((f) => f.message).join('；')}`);
  const changed =
    diff.files.added.length + diff.files.replaced.length + diff.files.withdrawn.length + diff.newlySatisfied.length + diff.newlyMissing.length + diff.newFindings.length + diff.resolvedFindings.length;
  if (changed === 0) lines.push('与上一轮相比没有变化');
  return lines;
}
