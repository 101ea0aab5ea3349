import { describe, expect, it } from 'vitest';
import type { CompletenessReport } from '../../pipeline/report/schema.ts';
import { describeRoundDiff, diffReports, RoundDiffSchema } from '../../pipeline/rounds/diff.ts';

/** The diff of two rounds reads only rows, findings, files and the verdict; the rest of a report does not matter here. */
function report(parts: {
  rows: Array<[string, string]>;
  findings?: Array<[string, 'error' | 'warning' | 'info', string]>;
  files?: Array<[string, string]>;
  verdict: string;
}): CompletenessReport {
  return {
    verdict: { text: parts.verdict },
    requirements: parts.rows.map(([id, status]) => ({ id, title: `材料${id}`, status })),
    findings: (parts.findings ?? []).map(([ruleId, severity, message]) => ({ ruleId, severity, message, evidence: [] })),
    files: (parts.files ?? []).map(([path, sha256]) => ({ path, sha256 })),
  } as unknown as CompletenessReport;
}

describe('the diff of a 补正 round against the round before', () => {
  const before = report({
    verdict: '需补正（缺 2 项）',
    rows: [['A', 'satisfied'], ['B', 'missing'], ['C', 'missing'], ['D', 'satisfied'], ['E', 'not_applicable'], ['F', 'unreadable']],
    findings: [['R1', 'error', '金额不一致'], ['R2', 'info', '提示'], ['R3', 'warning', '日期早于批复']],
    files: [['申报表.pdf', 'a1'], ['可研.pdf', 'b1'], ['附件.pdf', 'c1']],
  });
  const after = report({
    verdict: '需补正（缺 2 项）',
    rows: [['A', 'satisfied'], ['B', 'satisfied'], ['C', 'missing'], ['D', 'missing'], ['E', 'not_applicable'], ['F', 'missing']],
    findings: [['R1', 'error', '金额不一致'], ['R4', 'warning', '缺少盖章'], ['R5', 'info', '只是提示']],
    files: [['申报表.pdf', 'a1'], ['可研.pdf', 'b2'], ['需求分析.pdf', 'd1']],
  });
  const diff = diffReports(before, after);

  it('names rows newly satisfied, still missing (unreadable counts as missing) and newly missing', () => {
    expect(diff.newlySatisfied.map((r) => r.id)).toEqual(['B']);
    expect(diff.stillMissing.map((r) => r.id)).toEqual(['C', 'F']);
    expect(diff.newlyMissing.map((r) => r.id)).toEqual(['D']);
    expect(diff.newlySatisfied[0]).toEqual({ id: 'B', title: '材料B', status: 'satisfied' });
  });

  it('lists error and warning findings that are new or gone, never info', () => {
    expect(diff.newFindings).toEqual([{ ruleId: 'R4', severity: 'warning', message: '缺少盖章' }]);
    expect(diff.resolvedFindings).toEqual([{ ruleId: 'R3', severity: 'warning', message: '日期早于批复' }]);
  });

  it('tells files added, replaced (same path, other content) and withdrawn', () => {
    expect(diff.files).toEqual({ added: ['需求分析.pdf'], replaced: ['可研.pdf'], withdrawn: ['附件.pdf'] });
    expect(RoundDiffSchema.parse(diff)).toEqual(diff);
  });

  it('says it in Chinese, and says so when nothing changed', () => {
    const lines = describeRoundDiff(2, diff);
    expect(lines[0]).toBe('第 2 轮补正：需补正（缺 2 项） → 需补正（缺 2 项）');
    expect(lines).toContain('新满足：材料B（B）');
    expect(lines).toContain('新缺少：材料D（D）');
    expect(lines).toContain('替换文件：可研.pdf');
    expect(describeRoundDiff(3, diffReports(after, after))).toEqual(['第 3 轮补正：需补正（缺 2 项） → 需补正（缺 2 项）', '仍缺少：材料C（C）、材料D（D）、材料F（F）', '与上一轮相比没有变化']);
  });
});
