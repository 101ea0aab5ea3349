import { describe, expect, it } from 'vitest';
import {
  evaluatePresence,
  evaluatePresenceDetailed,
  RequirementResultSchema,
  type PresenceFile,
  type PresenceInput,
} from '../../checklists/evaluate.ts';
import { loadChecklist } from '../../checklists/load.ts';
import type { FactValue } from '../../checklists/conditions/index.ts';
import { declared, fileOf, hostWithSection } from './fact-solver.ts';

type City = 'changde' | 'yiyang' | 'shenyang' | 'shucheng' | 'municipal-template';

function evaluate(city: City, stage: PresenceInput['stage'], facts: Record<string, FactValue>, files: PresenceFile[]) {
  return evaluatePresenceDetailed({ checklist: loadChecklist(city), stage, facts: declared(facts), files });
}

function row(city: City, stage: PresenceInput['stage'], id: string, facts: Record<string, FactValue>, files: PresenceFile[]) {
  const result = evaluate(city, stage, facts, files).results.find((r) => r.id === id);
  if (!result) throw new Error(`${id} not evaluated`);
  return result;
}

function unreadableFile(status: PresenceFile['status'], ...contentDocTypes: string[]): PresenceFile {
  return { path: `材料/无法读取-${contentDocTypes.join('+')}.pdf`, status, docTypes: [], contentDocTypes };
}

describe('when shenyang SY-F02 offers two routes (any-of with a guard)', () => {
  const approval = { filingStep: 'approval' };

  it('is satisfied by the feasibility report together with the estimate', () => {
    const r = row('shenyang', 'filing', 'SY-F02', approval, [fileOf('feasibility_report'), fileOf('budget_estimate')]);
    expect(r.status).toBe('satisfied');
    expect(r.evidence.map((e) => e.docType)).toEqual(['feasibility_report', 'budget_estimate']);
  });

  it('is missing when only half of the all-of route is there', () => {
    expect(row('shenyang', 'filing', 'SY-F02', { ...approval, totalInvestmentWan: 300 }, [fileOf('feasibility_report')]).status).toBe('missing');
  });

  it('accepts the 实施方案 alone for a simple project', () => {
    expect(row('shenyang', 'filing', 'SY-F02', { ...approval, simpleProject: true }, [fileOf('implementation_plan')]).status).toBe('satisfied');
  });

  it('accepts the 实施方案 alone at exactly 100万 ("以下" includes the number)', () => {
    expect(row('shenyang', 'filing', 'SY-F02', { ...approval, simpleProject: false, totalInvestmentWan: 100 }, [fileOf('implementation_plan')]).status).toBe('satisfied');
  });

  it('fails with an error when only the 实施方案 is there and its guard is false', () => {
    const plan = fileOf('implementation_plan');
    const r = row('shenyang', 'filing', 'SY-F02', { ...approval, simpleProject: false, totalInvestmentWan: 100.5 }, [plan]);
    expect(r.status).toBe('missing');
    expect(r.severity).toBe('error');
    expect(r.evidence.map((e) => e.path)).toEqual([plan.path]);
    expect(r.message).toContain('仅提供了项目实施方案（合并路线）');
    expect(r.message).toContain('可行性研究报告 + 初步设计概算');
  });

  it('needs confirmation when the guard depends on unknown facts', () => {
    const r = row('shenyang', 'filing', 'SY-F02', approval, [fileOf('implementation_plan')]);
    expect(r.status).toBe('needs_confirmation');
    expect(r.unknownFacts).toEqual(['simpleProject', 'totalInvestmentWan']);
  });

  it('is satisfied by route (a) even when route (b) is also present and not allowed', () => {
    const files = [fileOf('implementation_plan'), fileOf('feasibility_report'), fileOf('budget_estimate')];
    expect(row('shenyang', 'filing', 'SY-F02', { ...approval, simpleProject: false, totalInvestmentWan: 500 }, files).status).toBe('satisfied');
  });
});

describe('when a row may be satisfied by a section of a host document', () => {
  const planned = { filingStep: 'plan', totalInvestmentWan: 300, outOfPlan: false };

  it('takes the 项目概况 chapter of the proposal for YY-F03, recording host, heading and page', () => {
    const proposal = hostWithSection('project_proposal', 'project_summary', '一、项目概况');
    const r = row('yiyang', 'filing', 'YY-F03', planned, [proposal]);
    expect(r.status).toBe('satisfied');
    expect(r.evidence).toEqual([{ path: proposal.path, page: 3, quote: '一、项目概况', docType: 'project_summary', via: 'section', label: '章节“一、项目概况”' }]);
  });

  it('recognises the section by its heading even when the classifier typed it otherwise', () => {
    const proposal = hostWithSection('project_proposal', 'other_material', '第二章 项目概要');
    expect(row('yiyang', 'filing', 'YY-F03', planned, [proposal]).status).toBe('satisfied');
  });

  it('satisfies the funding-source statement (YY-F05, no doc type of its own) by a 资金来源 section of the estimate', () => {
    const estimate = hostWithSection('budget_estimate', 'budget_estimate', '三、资金来源');
    const r = row('yiyang', 'filing', 'YY-F05', planned, [estimate]);
    expect(r.status).toBe('satisfied');
    expect(r.docTypes).toEqual(['funding_source_statement']);
    expect(r.evidence[0]).toMatchObject({ via: 'section', docType: 'funding_source_statement' });
  });

  it('satisfies YY-F05 by a separate statement typed other_material carrying the heading', () => {
    const statement = hostWithSection('other_material', 'funding_source_statement', '建设资金来源说明');
    expect(row('yiyang', 'filing', 'YY-F05', planned, [statement]).status).toBe('satisfied');
  });

  it('does not let any other_material file satisfy YY-F05 or YY-F07', () => {
    expect(row('yiyang', 'filing', 'YY-F05', planned, [fileOf('other_material')]).status).toBe('missing');
    const r = row('yiyang', 'filing', 'YY-F07', planned, [fileOf('other_material')]);
    expect(r.status).toBe('missing');
    expect(r.severity).toBe('warning');
  });

  it('takes the 党组 statement of the application letter for YY-F08', () => {
    const letter = hostWithSection('other_material', 'party_group_resolution', '经本单位党组审议通过');
    expect(row('yiyang', 'filing', 'YY-F08', planned, [letter]).status).toBe('satisfied');
  });

  it('accepts an O&M chapter in the contract for SC-A06 but warns that it is embedded', () => {
    const contract = hostWithSection('contract', 'om_agreement', '第八条 运维服务');
    const r = row('shucheng', 'acceptance', 'SC-A06', {}, [contract]);
    expect(r.status).toBe('satisfied');
    expect(r.severity).toBe('warning');
    expect(r.findings).toEqual([expect.objectContaining({ severity: 'warning', rowId: 'SC-A06', message: expect.stringContaining('合同中的运维章节') })]);
  });

  it('raises no warning when a separate 运维协议 is there as well', () => {
    const r = row('shucheng', 'acceptance', 'SC-A06', {}, [hostWithSection('contract', 'om_agreement', '运维服务'), fileOf('om_agreement')]);
    expect(r.status).toBe('satisfied');
    expect(r.findings).toEqual([]);
  });

  it('accepts a data-sharing section in any acceptance document, or a shucheng-style 三清单, for YY-A11', () => {
    const application = hostWithSection('acceptance_application', 'data_sharing_statement', '四、数据共享开放情况');
    expect(row('yiyang', 'acceptance', 'YY-A11', { sharingExempt: false }, [application]).status).toBe('satisfied');
    expect(row('yiyang', 'acceptance', 'YY-A11', { sharingExempt: false }, [fileOf('data_three_lists')]).status).toBe('satisfied');
  });

  it('takes the 自审自查 chapter of the acceptance application for CD-A02', () => {
    const application = hostWithSection('acceptance_application', 'self_inspection_report', '三、自审自查情况');
    const results = evaluate('changde', 'acceptance', {}, [application]).results;
    expect(results.find((r) => r.id === 'CD-A01')!.status).toBe('satisfied');
    expect(results.find((r) => r.id === 'CD-A02')!.evidence[0]).toMatchObject({ path: application.path, via: 'section' });
  });
});

describe('when a shucheng row is N/A-able (SC-A08–SC-A10)', () => {
  it('is not applicable, with a "请确认不适用" warning, when there is no custom software', () => {
    const r = row('shucheng', 'acceptance', 'SC-A09', { customSoftware: false }, []);
    expect(r.status).toBe('not_applicable');
    expect(r.severity).toBe('warning');
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]!.message).toMatch(/^请确认不适用：SC-A09 源代码/);
  });

  it('is missing with an error when there is custom software', () => {
    const r = row('shucheng', 'acceptance', 'SC-A09', { customSoftware: true }, []);
    expect(r.status).toBe('missing');
    expect(r.severity).toBe('error');
  });

  it('is missing, with a hint to declare the fact, when custom software is unknown', () => {
    const r = row('shucheng', 'acceptance', 'SC-A10', {}, []);
    expect(r.status).toBe('missing');
    expect(r.unknownFacts).toEqual(['customSoftware']);
    expect(r.message).toContain('可声明“含定制软件开发”');
    expect(r.message).not.toContain('customSoftware');
  });

  it('is satisfied by a document even when declared not applicable', () => {
    expect(row('shucheng', 'acceptance', 'SC-A08', { customSoftware: false }, [fileOf('database_admin_handover')]).status).toBe('satisfied');
  });

  it('collects the warnings in the detailed evaluation', () => {
    const findings = evaluate('shucheng', 'acceptance', { customSoftware: false }, []).findings;
    expect(findings.filter((f) => f.message.startsWith('请确认不适用')).map((f) => f.rowId)).toEqual(['SC-A08', 'SC-A09', 'SC-A10']);
  });
});

describe('when a fact a row depends on is unknown', () => {
  it('reports CD-A12 as needing confirmation of major, quoting the article', () => {
    const r = row('changde', 'acceptance', 'CD-A12', {}, []);
    expect(r.status).toBe('needs_confirmation');
    expect(r.severity).toBe('warning');
    expect(r.unknownFacts).toEqual(['major']);
    expect(r.message).toBe('需确认：尚未声明“是否为重大电子政务工程？”。若“重大电子政务工程”成立，须提交第三方检测报告（第十七条第二款）');
  });

  it('settles CD-A12 once major is declared', () => {
    expect(row('changde', 'acceptance', 'CD-A12', { major: false }, []).status).toBe('not_applicable');
    expect(row('changde', 'acceptance', 'CD-A12', { major: true }, []).status).toBe('missing');
  });

  it('asks for the investment rather than for yiyang\'s local fact planned', () => {
    const r = row('yiyang', 'filing', 'YY-F02', { filingStep: 'plan', outOfPlan: false }, []);
    expect(r.unknownFacts).toEqual(['totalInvestmentWan']);
  });

  it('asks for the funding sources behind hasMunicipalMatching (YY-A18)', () => {
    expect(row('yiyang', 'acceptance', 'YY-A18', {}, []).unknownFacts).toEqual(['fundingSources']);
    expect(row('yiyang', 'acceptance', 'YY-A18', { fundingSources: ['national_provincial', 'other_fiscal'] }, []).status).toBe('missing');
    expect(row('yiyang', 'acceptance', 'YY-A18', { fundingSources: ['national_provincial'] }, []).status).toBe('not_applicable');
  });

  it('drops YY-A10 for projects applying to the higher level (§7 #16)', () => {
    const facts = { totalInvestmentWan: 800, fundingSources: ['national_provincial', 'municipal_project_fund'] };
    expect(row('yiyang', 'acceptance', 'YY-A10', facts, []).status).toBe('not_applicable');
    expect(row('yiyang', 'acceptance', 'YY-A18', facts, []).status).toBe('missing');
  });
});

describe('when a file that would satisfy a row cannot be read', () => {
  it('reports the row unreadable, naming the file and why', () => {
    const r = row('changde', 'acceptance', 'CD-A07', { totalInvestmentWan: 80 }, [unreadableFile('encrypted', 'supervision_report')]);
    expect(r.status).toBe('unreadable');
    expect(r.severity).toBe('error');
    expect(r.message).toContain('材料/无法读取-supervision_report.pdf（已加密）');
  });

  it('prefers a readable copy', () => {
    expect(row('changde', 'acceptance', 'CD-A07', { totalInvestmentWan: 80 }, [unreadableFile('encrypted', 'supervision_report'), fileOf('supervision_report')]).status).toBe('satisfied');
  });

  it('stays not applicable when the row is not required anyway', () => {
    expect(row('changde', 'acceptance', 'CD-A12', { major: false }, [unreadableFile('unreadable', 'third_party_test_report')]).status).toBe('not_applicable');
  });

  it('outranks a question about an unknown fact', () => {
    expect(row('changde', 'acceptance', 'CD-A12', {}, [unreadableFile('empty', 'third_party_test_report')]).status).toBe('unreadable');
  });

  it('counts an unreadable part of an all-of alternative', () => {
    const files = [fileOf('feasibility_report'), unreadableFile('unsupported', 'budget_estimate')];
    expect(row('shenyang', 'filing', 'SY-F02', { filingStep: 'approval' }, files).status).toBe('unreadable');
  });

  it('never lets an unreadable file satisfy a row through the types its name suggested', () => {
    const emptyButNamed: PresenceFile = { path: '竣工验收申请.pdf', status: 'empty', docTypes: [{ id: 'acceptance_application', confidence: 0.5, evidence: { rule: 'file-name' } }] };
    expect(row('changde', 'acceptance', 'CD-A01', {}, [emptyButNamed]).status).toBe('unreadable');
  });
});

describe('when the filing step is not declared (§2.1 filingStep)', () => {
  it('derives plan from plan-step documents only and checks plan rows only', () => {
    const detail = evaluate('changde', 'filing', {}, [fileOf('project_plan'), fileOf('feasibility_report')]);
    expect(detail.results.map((r) => r.id)).toEqual(['CD-F01', 'CD-F02', 'CD-F03', 'CD-F04']);
    expect(detail.skippedRows.map((r) => r.id)).toEqual(['CD-F05', 'CD-F06', 'CD-F07']);
    expect(detail.facts.filingStep).toMatchObject({ value: 'plan', source: 'derived' });
  });

  it('derives approval from an approval-step document and checks both steps', () => {
    const review = fileOf('technical_review_opinion');
    const detail = evaluate('changde', 'filing', {}, [review]);
    expect(detail.results).toHaveLength(7);
    expect(detail.facts.filingStep).toEqual({ value: 'approval', source: 'derived', from: expect.stringContaining(review.path) });
  });

  it('derives approval from an annual plan notice', () => {
    expect(evaluate('shucheng', 'filing', {}, [fileOf('annual_plan_notice')]).facts.filingStep!.value).toBe('approval');
  });

  it('does not take a document that the plan step also asks for as a sign of the approval step', () => {
    // yiyang asks for the budget_estimate at both steps (YY-F04, YY-F13).
    expect(evaluate('yiyang', 'filing', {}, [fileOf('budget_estimate'), fileOf('other_material')]).facts.filingStep!.value).toBe('plan');
  });

  it('keeps a declared step over the documents', () => {
    const detail = evaluate('changde', 'filing', { filingStep: 'plan' }, [fileOf('technical_review_opinion')]);
    expect(detail.results).toHaveLength(4);
    expect(detail.facts.filingStep).toMatchObject({ value: 'plan', source: 'declared' });
  });

  it('never shows filing rows at acceptance', () => {
    expect(evaluatePresence({ checklist: loadChecklist('changde'), stage: 'acceptance', facts: {}, files: [] }).every((r) => r.stage === 'acceptance')).toBe(true);
  });
});

describe('when facts are derived', () => {
  it('computes yiyang planned from the investment: 50万 is not planned, 50.01万 is', () => {
    const at50 = evaluate('yiyang', 'filing', { filingStep: 'plan', totalInvestmentWan: 50, outOfPlan: false }, []);
    expect(at50.results.find((r) => r.id === 'YY-F01')!.status).toBe('missing');
    expect(at50.results.find((r) => r.id === 'YY-F02')!.status).toBe('not_applicable');
    expect(at50.facts.planned).toMatchObject({ value: false, source: 'derived' });
    const above = evaluate('yiyang', 'filing', { filingStep: 'plan', totalInvestmentWan: 50.01, outOfPlan: false }, []);
    expect(above.results.find((r) => r.id === 'YY-F01')!.status).toBe('not_applicable');
    expect(above.results.find((r) => r.id === 'YY-F02')!.status).toBe('missing');
  });

  it('requires both 200万 paths at exactly 200万 (§7 #2)', () => {
    const results = evaluate('yiyang', 'acceptance', { totalInvestmentWan: 200 }, []).results;
    expect(results.find((r) => r.id === 'YY-A07')!.status).toBe('missing');
    expect(results.find((r) => r.id === 'YY-A08')!.status).toBe('missing');
  });

  it('computes softwareDevelopment from the project kind and custom software (SC-A14)', () => {
    expect(row('shucheng', 'acceptance', 'SC-A14', { projectKind: 'new', customSoftware: true }, []).status).toBe('missing');
    expect(row('shucheng', 'acceptance', 'SC-A14', { projectKind: 'om', customSoftware: true }, []).status).toBe('not_applicable');
    expect(row('shucheng', 'acceptance', 'SC-A14', { projectKind: 'new' }, []).unknownFacts).toEqual(['customSoftware']);
  });

  it('takes an acceptance report as proof that the acceptance was held', () => {
    const detail = evaluate('shenyang', 'acceptance', {}, [fileOf('acceptance_report')]);
    expect(detail.facts.acceptanceHeld).toMatchObject({ value: true, source: 'derived' });
    expect(detail.results.find((r) => r.id === 'SY-A10')!.status).toBe('satisfied');
  });

  it('takes a supervision contract as proof of a supervisor, so the changde 监理报告 is due below 50万 (CD-A07)', () => {
    const results = evaluate('changde', 'acceptance', { totalInvestmentWan: 30 }, [fileOf('supervision_contract')]).results;
    expect(results.find((r) => r.id === 'CD-A07')!.status).toBe('missing');
    expect(results.find((r) => r.id === 'CD-A16')!.status).toBe('satisfied');
  });

  it('lets a declared value win over a derived one', () => {
    const detail = evaluate('shenyang', 'acceptance', { acceptanceHeld: false }, [fileOf('acceptance_report')]);
    expect(detail.facts.acceptanceHeld).toMatchObject({ value: false, source: 'declared' });
  });

  it('uses finalInvestmentWan := settlement, else contracts, for the shenyang 概算调整 (SY-A09)', () => {
    expect(row('shenyang', 'acceptance', 'SY-A09', { majorContentChange: false, approvedEstimateWan: 100, projectContractsTotalWan: 111 }, []).status).toBe('missing');
    expect(row('shenyang', 'acceptance', 'SY-A09', { majorContentChange: false, approvedEstimateWan: 100, settlementAmountWan: 110, projectContractsTotalWan: 130 }, []).status).toBe('not_applicable');
  });
});

describe('when facts arrive as strings from a command line', () => {
  it('reads booleans, numbers and comma-separated sets', () => {
    const facts = { major: 'true', totalInvestmentWan: '120', changeOccurred: 'true', changeKinds: 'scope,tech_params_during_procurement' };
    expect(row('changde', 'acceptance', 'CD-A12', facts, []).status).toBe('missing');
    expect(row('shenyang', 'acceptance', 'SY-A08', facts, []).status).toBe('missing');
  });

  it('rejects a value that does not fit the fact, in Chinese', () => {
    expect(() => evaluate('changde', 'acceptance', { totalInvestmentWan: '一百' }, [])).toThrow(/事实 totalInvestmentWan 的值 "一百" 不符合类型 number/);
    expect(() => evaluate('shenyang', 'acceptance', { changeKinds: 'everything' }, [])).toThrow(/可选：scope、tech_params_during_procurement、investment/);
  });
});

describe('when one file carries several doc types', () => {
  it('lets a combined 系统试运行和初步验收报告 satisfy both changde rows', () => {
    const combined = fileOf('trial_run_report', 'preliminary_acceptance_report');
    const results = evaluate('changde', 'acceptance', {}, [combined]).results;
    expect(results.find((r) => r.id === 'CD-A08')!.evidence[0]!.path).toBe(combined.path);
    expect(results.find((r) => r.id === 'CD-A09')!.evidence[0]!.path).toBe(combined.path);
  });
});

describe('when shaping results for the report', () => {
  it('gives every applicable row exactly one result that fits the schema', () => {
    for (const city of ['changde', 'yiyang', 'shenyang', 'shucheng', 'municipal-template'] as const) {
      const checklist = loadChecklist(city);
      const results = evaluatePresence({ checklist, stage: 'acceptance', facts: {}, files: [] });
      expect(results.map((r) => r.id)).toEqual(checklist.rows.filter((r) => r.stage === 'acceptance').map((r) => r.id));
      for (const r of results) expect(() => RequirementResultSchema.parse(r)).not.toThrow();
    }
  });

  it('shows the municipal-template quote in Simplified Chinese in messages, keeping the seed wording in the basis', () => {
    const r = row('municipal-template', 'acceptance', 'MT-A09', {}, []);
    expect(r.basis.quote).toBe('由監(jiān)理單位初步驗(yàn)收后');
    expect(r.basis.quoteNormalised).toBe('由监理单位初步验收后');
    expect(r.message).toBe('缺少监理单位初步验收报告（三(四)1：“由监理单位初步验收后”）');
    expect(r.basis.seedFile).toBe('004_5b2560a086eedf88.txt');
  });
});
