import { z } from 'zod';
import { bigramSimilarity, normOrg, normProjectName } from '../../extractors/fields/orgs.ts';
import type { RuleEvidence } from './context.ts';
import type { BoundRule } from './engine.ts';

/**
 * Rules that only a batch can check (益阳 第十六条 化整为零): they see every dossier of the batch at once. A batch
 * rule is data like the others (`scope: batch` in the checklist); its check is one of BATCH_CHECKS.
 */

/** What a batch rule knows of one dossier (from its report). */
export interface BatchDossier {
  /** The dossier's name in the batch (its archive or folder). */
  id: string;
  constructionUnit?: string;
  /** The plan or approval year. */
  year?: number;
  projectName?: string;
  totalInvestmentWan?: number;
  evidence: RuleEvidence[];
}

export interface BatchFinding {
  ruleId: string;
  kind: string;
  severity: 'error' | 'warning';
  message: string;
  article: string;
  /** The dossiers the finding concerns; each of their reports carries it. */
  dossiers: string[];
  evidence: RuleEvidence[];
}

interface BatchCheck<P = unknown> {
  params: z.ZodType<P>;
  run(dossiers: readonly BatchDossier[], params: P): Array<{ message: string; dossiers: string[]; evidence: RuleEvidence[] }>;
}

const SplitParams = z.strictObject({
  /** 万元 thresholds at which approval (or a stricter procedure) starts. */
  thresholds: z.array(z.number().positive()).min(1),
  /** A part "just under" a threshold: at least this share of it. The lowest threshold takes every part under it. */
  nearBelow: z.number().min(0).max(1).default(0.8),
  /** Names at least this similar (bigram Dice over normalised names) count as parts of one project. */
  nameSimilarity: z.number().min(0).max(1).default(0.5),
});

/**
 * YY-P01: dossiers of one unit and year with similar names, each under a threshold (the lowest: any amount under
 * it; the others: just under), whose sum reaches it. Names must be alike: two unrelated small projects of one unit
 * are no split.
 */
function splitProject(dossiers: readonly BatchDossier[], params: z.output<typeof SplitParams>) {
  const out: Array<{ message: string; dossiers: string[]; evidence: RuleEvidence[] }> = [];
  const groups = new Map<string, BatchDossier[]>();
  for (const d of dossiers) {
    if (!d.constructionUnit || d.year === undefined || d.totalInvestmentWan === undefined || !d.projectName) continue;
    const key = `${normOrg(d.constructionUnit)}\u0000${d.year}`;
    groups.set(key, [...(groups.get(key) ?? []), d]);
  }
  const lowest = Math.min(...params.thresholds);
  for (const members of groups.values()) {
    if (members.length < 2) continue;
    for (const t of [...params.thresholds].sort((a, b) => a - b)) {
      const under = members.filter((d) => d.totalInvestmentWan! < t && (t === lowest || d.totalInvestmentWan! >= params.nearBelow * t));
      const alike = under.filter((d) => under.some((o) => o !== d && bigramSimilarity(normProjectName(d.projectName!), normProjectName(o.projectName!)) >= params.nameSimilarity));
      if (alike.length < 2) continue;
      const sum = alike.reduce((n, d) => n + d.totalInvestmentWan!, 0);
      if (sum < t) continue;
      out.push({
        message: `同一建设单位（${alike[0]!.constructionUnit}）${alike[0]!.year}年的 ${alike.length} 个名称相近的项目各自低于 ${t} 万元，合计 ${Math.round(sum * 100) / 100} 万元达到 ${t} 万元：${alike.map((d) => `「${d.projectName}」${d.totalInvestmentWan}万元（${d.id}）`).join('、')}；请核实是否化整为零规避审批`,
        dossiers: alike.map((d) => d.id),
        evidence: alike.flatMap((d) => d.evidence),
      });
      break;
    }
  }
  return out;
}

export const BATCH_CHECKS: Readonly<Record<string, BatchCheck>> = {
  splitProject: { params: SplitParams, run: splitProject as BatchCheck['run'] },
};

/** Runs a checklist's batch rules over the batch's dossiers. */
export function runBatchRules(rules: readonly BoundRule[], dossiers: readonly BatchDossier[]): BatchFinding[] {
  const out: BatchFinding[] = [];
  for (const { rule, params } of rules) {
    if (rule.scope !== 'batch' || !rule.check) continue;
    for (const r of BATCH_CHECKS[rule.check]!.run(dossiers, params)) {
      out.push({ ruleId: rule.id, kind: rule.kind, severity: rule.severity, message: r.message, article: rule.citation.article, dossiers: r.dossiers, evidence: r.evidence });
    }
  }
  return out;
}
