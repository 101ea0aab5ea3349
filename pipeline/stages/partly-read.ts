import type { PresenceEvaluation } from '../../checklists/evaluate.ts';
import { ANY_HOST, type LoadedChecklist } from '../../checklists/load.ts';
import type { RuleFinding } from '../../checklists/rules/context.ts';
import { describePages } from '../../extractors/pdf/page-ranges.ts';
import type { ClassifiedFile } from '../model.ts';
import { pageRangeText } from '../report/segments.ts';
import { documentsOf } from './segment.ts';

/**
 * The cheap pass over a long scan (extractors/pdf/skim.ts) leaves the body of some pages unread. Nothing may be called
 * missing because of that: a wrong 缺失 costs the unit a trip and the reviewer their trust. Two things read bodies:
 *  - a section-or-file row, satisfied by a heading inside another document: when no file or read heading satisfies
 *    it and a document that could host it has unread pages, the row is 需确认 naming those pages, not 缺失;
 *  - rules that look for content in a document's text (sectionItems): a finding on a document with unread pages
 *    says so and is only a warning.
 */

interface PartlyReadDocument {
  path: string;
  docTypes: string[];
  pageRange?: { first: number; last: number };
  partial: number[];
}

/** Checks that search the text of a document's pages (checklists/rules/checks.ts). */
const TEXT_CHECKS = new Set(['sectionItems']);

export function partlyReadDocuments(classified: readonly ClassifiedFile[]): PartlyReadDocument[] {
  return classified
    .filter((f) => !f.duplicateOf && f.doc.status === 'ok')
    .flatMap((f) =>
      documentsOf(f).map((d) => ({
        path: f.file.path,
        docTypes: d.classification.docTypes.map((t) => t.id),
        pageRange: d.pageRange,
        partial: d.pages.filter((p) => p.partial).map((p) => p.n),
      })),
    )
    .filter((d) => d.partial.length > 0);
}

function where(d: PartlyReadDocument): string {
  return `${d.path}${d.pageRange ? `（${pageRangeText(d.pageRange)}）` : ''}${describePages(d.partial)}`;
}

export function guardPartlyRead(
  presence: PresenceEvaluation,
  ruleFindings: RuleFinding[],
  checklist: LoadedChecklist,
  classified: readonly ClassifiedFile[],
): { presence: PresenceEvaluation; ruleFindings: RuleFinding[] } {
  const partly = partlyReadDocuments(classified);
  if (partly.length === 0) return { presence, ruleFindings };
  const rows = new Map(checklist.rows.map((r) => [r.id, r]));
  const results = presence.results.map((r) => {
    // A row missing because a guard was not met, or with evidence, rests on what was read; only plain absence may not.
    if (r.status !== 'missing' || r.evidence.length > 0) return r;
    const section = rows.get(r.id)?.requirement.section;
    if (!section) return r;
    const hosts = partly.filter((d) => section.hosts.includes(ANY_HOST) || d.docTypes.some((t) => section.hosts.includes(t)));
    if (hosts.length === 0) return r;
    return {
      ...r,
      status: 'needs_confirmation' as const,
      severity: 'warning' as const,
      evidence: hosts.map((d) => ({ path: d.path, pageRange: d.pageRange, docType: d.docTypes[0] ?? '', via: 'section' as const, label: `${describePages(d.partial)}未全文识别` })),
      message: `未见单独的“${r.title}”，已识别的内容中也没有相应章节；但${hosts.map(where).join('、')}仅识别了页眉页脚（长扫描件的快速识别），其中可能含有相应章节，请人工核对这些页`,
      findings: [],
    };
  });
  const textRules = new Set(checklist.boundRules.filter((b) => b.rule.check !== undefined && TEXT_CHECKS.has(b.rule.check)).map((b) => b.rule.id));
  const findings = ruleFindings.map((f) => {
    if (!textRules.has(f.ruleId)) return f;
    const unread = partly.filter((d) => f.evidence.some((e) => e.path === d.path));
    if (unread.length === 0) return f;
    return { ...f, severity: 'warning' as const, message: `${f.message}（仅就已识别的页而言：${unread.map(where).join('、')}仅识别了页眉页脚，请人工核对这些页）` };
  });
  return { presence: { ...presence, results, findings: results.flatMap((r) => r.findings) }, ruleFindings: findings };
}
