import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { COMMON_RULES_PATH } from '../../checklists/rules/engine.ts';
import type { RuleContext, Statement } from '../../checklists/rules/context.ts';
import { SEAL_CHECKS, sealMatchesOrg, stampedDocuments, type SealRuleFile } from '../../checklists/rules/seal-checks.ts';
import type { RuleDefinition } from '../../checklists/rules/schema.ts';
import type { SealRecord } from '../../extractors/seals/schema.ts';

/** GEN-10 as shipped in checklists/rules/common.yaml, its params parsed by the check's own schema. */
function gen10(): { rule: RuleDefinition; params: ReturnType<typeof SEAL_CHECKS.stampedDocuments.params.parse> } {
  const file = parse(readFileSync(COMMON_RULES_PATH, 'utf8')) as { rules: RuleDefinition[] };
  const rule = file.rules.find((r) => r.id === 'GEN-10');
  if (!rule) throw new Error('GEN-10 is not in common.yaml');
  expect(rule.check).toBe('stampedDocuments');
  return { rule, params: SEAL_CHECKS.stampedDocuments.params.parse(rule.params) };
}

function scanSeal(rimText: string, extra: Partial<SealRecord> = {}): SealRecord {
  return { source: 'scan', electronic: false, page: 2, shape: 'round', star: true, sure: true, rimText, rimConfidence: 80, inkStrength: 0.5, crop: 'data:image/png;base64,AA==', ...extra };
}

function statement(path: string, field: string, value: string, page = 2): Statement {
  return { field, value, docTypes: [], evidence: { path, page, quote: value, source: 'ocr' } };
}

function context(files: SealRuleFile[], statements: Statement[]): RuleContext {
  return { stage: 'acceptance', facts: {}, statements, amountPairs: [], files } as RuleContext;
}

function file(path: string, docType: string, extra: Partial<SealRuleFile>): SealRuleFile {
  return { path, docTypes: [docType], sections: [], pages: [{ n: 1, text: '' }, { n: 2, text: '' }], ...extra };
}

const scanned = { checkedPages: [1, 2], monochromePages: [] };

function run(files: SealRuleFile[], statements: Statement[]) {
  const { rule, params } = gen10();
  return stampedDocuments(context(files, statements), params, rule);
}

describe('GEN-10: documents that must be stamped carry the right seal', () => {
  it('accepts an approval whose seal reads the issuer, even with two characters misread on the rim', () => {
    const approval = file('批复.jpg', 'approval_document', { sealScan: scanned, seals: [scanSeal('常德市数据资源管理周')] });
    expect(run([approval], [statement('批复.jpg', 'issuer', '常德市数据资源管理局')])).toEqual([]);
    expect(sealMatchesOrg(scanSeal('常傯市数据资源管理周'), '常德市数据资源管理局')).toBe(true);
    expect(sealMatchesOrg(scanSeal('益阳市财政局'), '常德市数据资源管理局')).toBe(false);
  });

  it("says 未见盖章 with the page when a colour scan of an approval shows no seal", () => {
    const findings = run([file('批复.jpg', 'approval_document', { sealScan: scanned })], [statement('批复.jpg', 'issuer', '常德市数据资源管理局')]);
    expect(findings).toHaveLength(1);
    expect(findings[0]!.message).toMatch(/^未见盖章：批复文件《批复\.jpg》/);
    expect(findings[0]!.evidence[0]).toMatchObject({ path: '批复.jpg', page: 2 });
  });

  it('says 印章单位与落款单位不一致 when a clearly read seal names another organisation, citing the seal', () => {
    const approval = file('批复.jpg', 'approval_document', { sealScan: scanned, seals: [scanSeal('益阳市财政局')] });
    const findings = run([approval], [statement('批复.jpg', 'issuer', '常德市数据资源管理局')]);
    expect(findings).toHaveLength(1);
    expect(findings[0]!.message).toContain('印章单位与落款单位不一致');
    expect(findings[0]!.message).toContain('益阳市财政局');
    expect(findings[0]!.evidence).toContainEqual(expect.objectContaining({ path: '批复.jpg', page: 2, label: '印章' }));
  });

  it('asks for a manual check instead of accusing when the seal text was read with low confidence', () => {
    const approval = file('批复.jpg', 'approval_document', { sealScan: scanned, seals: [scanSeal('益阳市财政局', { rimConfidence: 30 })] });
    const findings = run([approval], [statement('批复.jpg', 'issuer', '常德市数据资源管理局')]);
    expect(findings).toHaveLength(1);
    expect(findings[0]!.message).toContain('请人工核对');
    expect(findings[0]!.message).not.toContain('不一致');
  });

  it('wants both parties of a contract and names the missing one', () => {
    const contract = file('合同.jpg', 'contract', { sealScan: scanned, seals: [scanSeal('常德市数据资源管理局'), scanSeal('湖南华信信息技术有限公司', { shape: 'oval', star: undefined })] });
    const parties = [statement('合同.jpg', 'partyA', '常德市数据资源管理局', 1), statement('合同.jpg', 'partyB', '湖南华信信息技术有限公司', 1)];
    expect(run([contract], parties)).toEqual([]);
    const oneSeal = { ...contract, seals: [scanSeal('常德市数据资源管理局')] };
    const findings = run([oneSeal], parties);
    expect(findings).toHaveLength(1);
    expect(findings[0]!.message).toContain('乙方「湖南华信信息技术有限公司」');
    expect(findings[0]!.message).toContain('缺乙方印章');
  });

  it('says nothing about files it could not look at: text layers, and grey scans only get a request to check', () => {
    const wordFile = file('批复.docx', 'approval_document', {});
    expect(run([wordFile], [statement('批复.docx', 'issuer', '常德市数据资源管理局')])).toEqual([]);
    const grey = file('批复.jpg', 'approval_document', { sealScan: { checkedPages: [1, 2], monochromePages: [1, 2] } });
    const findings = run([grey], []);
    expect(findings).toHaveLength(1);
    expect(findings[0]!.message).toContain('黑白扫描件，无法判断是否盖章');
  });

  it('counts an OFD electronic seal by its name like a stamped one, and ignores types that need no seal', () => {
    const ofd = file('批复.ofd', 'approval_document', { seals: [{ source: 'ofd-signature', electronic: true, sure: true, page: 1, name: '常德市数据资源管理局', verified: false }] });
    expect(run([ofd], [statement('批复.ofd', 'issuer', '常德市数据资源管理局', 1)])).toEqual([]);
    expect(run([file('需求.jpg', 'requirements_analysis', { sealScan: scanned })], [])).toEqual([]);
  });
});
