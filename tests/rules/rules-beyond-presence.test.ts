import { describe, expect, it } from 'vitest';
import type { FactLookup } from '../../checklists/conditions/index.ts';
import { loadChecklist } from '../../checklists/load.ts';
import type { KnownFact, RuleContext, Statement } from '../../checklists/rules/context.ts';
import { bindRules, loadCommonRules, runRules } from '../../checklists/rules/engine.ts';
import { sharedPath } from '../helpers/shared-data.ts';

type Facts = Record<string, KnownFact['value']>;

function run(city: string, stage: 'filing' | 'acceptance', facts: Facts, extra: Partial<RuleContext> = {}) {
  const checklist = loadChecklist(city);
  const rules = checklist.boundRules;
  const all: Record<string, KnownFact> = { stage: { value: stage, source: 'declared' } };
  for (const [k, v] of Object.entries(facts)) all[k] = { value: v, source: 'derived', evidence: [{ path: `${k}.pdf`, page: 1, quote: String(v) }] };
  const lookup: FactLookup = (name) => (name in all ? { known: true, value: all[name]!.value } : { known: false, unknownFacts: [name] });
  const ctx: RuleContext = { stage, facts: all, statements: [], amountPairs: [], files: [], ...extra };
  return runRules(rules, ctx, lookup);
}

const ruleIds = (findings: ReturnType<typeof run>) => findings.map((f) => f.ruleId);

function statement(field: string, value: string, path: string): Statement {
  return { field, value, docTypes: [], evidence: { path, page: 1, quote: `${field}：${value}` } };
}

describe('GEN-01 project names agree', () => {
  it('warns when one document names another phase of the project, listing both sources', () => {
    const findings = run('changde', 'acceptance', {}, {
      statements: [
        statement('projectName', '常德市退役军人服务管理系统二期建设项目', '批复.pdf'),
        statement('projectName', '常德市退役军人服务管理系统二期建设项目', '合同.pdf'),
        statement('projectName', '常德市退役军人服务管理系统三期建设项目', '监理报告.pdf'),
      ],
    });
    const gen01 = findings.filter((f) => f.ruleId === 'GEN-01');
    expect(gen01).toHaveLength(1);
    expect(gen01[0]!.severity).toBe('warning');
    expect(gen01[0]!.evidence.map((e) => e.path)).toEqual(expect.arrayContaining(['批复.pdf', '监理报告.pdf']));
  });

  it('accepts names that differ only by 《》, spaces and the suffix 项目', () => {
    const findings = run('changde', 'acceptance', {}, {
      statements: [statement('projectName', '《常德市数字档案馆建设项目》', 'a.pdf'), statement('projectName', '常德市数字档案馆建设', 'b.pdf')],
    });
    expect(ruleIds(findings)).not.toContain('GEN-01');
  });
});

describe('GEN-03 stated investments agree', () => {
  it('warns and says a threshold is straddled when another document states a different total', () => {
    const findings = run('changde', 'acceptance', { totalInvestmentWan: 120 }, {
      statements: [statement('totalInvestment', '120', '批复.pdf'), statement('totalInvestment', '45', '可研.pdf')],
    });
    const gen03 = findings.find((f) => f.ruleId === 'GEN-03');
    expect(gen03?.message).toContain('45');
    expect(gen03?.message).toContain('50万元');
  });

  it('is silent when every stated total equals the one used', () => {
    const findings = run('changde', 'acceptance', { totalInvestmentWan: 120 }, { statements: [statement('totalInvestment', '120.00', 'a.pdf')] });
    expect(ruleIds(findings)).not.toContain('GEN-03');
  });
});

describe('GEN-04 大写 and 小写 agree', () => {
  it('warns on a pair that disagrees and not on one that agrees', () => {
    const findings = run('yiyang', 'acceptance', {}, {
      amountPairs: [
        { daxieWan: '123.45', xiaoxieWan: '123.45', evidence: { path: 'ok.pdf' } },
        { daxieWan: '120', xiaoxieWan: '102', evidence: { path: 'bad.pdf', page: 2 } },
      ],
    });
    const gen04 = findings.filter((f) => f.ruleId === 'GEN-04');
    expect(gen04).toHaveLength(1);
    expect(gen04[0]!.evidence[0]!.path).toBe('bad.pdf');
  });
});

describe('GEN-05 dates follow the project order', () => {
  it('reports a contract signed before the approval', () => {
    const findings = run('shenyang', 'acceptance', { approvalDate: '2024-05-01', mainContractDate: '2024-03-01', acceptanceDate: '2024-12-01' });
    const gen05 = findings.filter((f) => f.ruleId === 'GEN-05');
    expect(gen05).toHaveLength(1);
    expect(gen05[0]!.message).toContain('2024-05-01');
  });

  it('is silent when the known dates are in order, whatever is unknown', () => {
    expect(ruleIds(run('shenyang', 'acceptance', { approvalDate: '2024-01-01', acceptanceDate: '2024-12-01' }))).not.toContain('GEN-05');
  });
});

describe('CD-C01 contractor and supervisor are independent (changde 第十五条)', () => {
  it('is an error when both are the same organisation, however written', () => {
    const findings = run('changde', 'acceptance', { hasSupervisor: true, contractor: '长沙某某科技有限公司', supervisor: '长沙某某科技有限公司（盖章）' });
    const c01 = findings.find((f) => f.ruleId === 'CD-C01');
    expect(c01?.severity).toBe('error');
    expect(c01?.article).toBe('第十五条');
  });

  it('is silent for two different organisations, and when there is no supervisor', () => {
    expect(ruleIds(run('changde', 'acceptance', { hasSupervisor: true, contractor: '甲公司', supervisor: '乙监理公司' }))).not.toContain('CD-C01');
    expect(ruleIds(run('changde', 'acceptance', { hasSupervisor: false, contractor: '甲公司', supervisor: '甲公司' }))).not.toContain('CD-C01');
  });
});

describe('CD-T03 self-inspection before the acceptance application (changde 第十七条第一款)', () => {
  it('is an error when the self-inspection is dated after the application', () => {
    const findings = run('changde', 'acceptance', { selfInspectionDate: '2024-06-10', acceptanceApplicationDate: '2024-06-01' });
    expect(findings.find((f) => f.ruleId === 'CD-T03')?.severity).toBe('error');
  });

  it('accepts the same day', () => {
    expect(ruleIds(run('changde', 'acceptance', { selfInspectionDate: '2024-06-01', acceptanceApplicationDate: '2024-06-01' }))).not.toContain('CD-T03');
  });
});

describe('YY-T03 three months of trial run and a passed preliminary acceptance (yiyang 第二十六条(二))', () => {
  const base = { totalInvestmentWan: 260, trialRunStartDate: '2024-01-31', preliminaryAcceptanceConclusion: '合格', preliminaryAcceptanceDate: '2024-04-15' };

  it('counts months by the corresponding day: 31 January plus three months ends on 30 April', () => {
    expect(ruleIds(run('yiyang', 'acceptance', { ...base, trialRunEndDate: '2024-04-30', acceptanceApplicationDate: '2024-05-06' }))).not.toContain('YY-T03');
    const short = run('yiyang', 'acceptance', { ...base, trialRunEndDate: '2024-04-29', acceptanceApplicationDate: '2024-05-06' });
    expect(short.find((f) => f.ruleId === 'YY-T03')?.message).toContain('2024-04-30');
  });

  it('is an error to apply before the three months are over, or after a failed preliminary acceptance', () => {
    const early = run('yiyang', 'acceptance', { ...base, trialRunEndDate: '2024-04-30', acceptanceApplicationDate: '2024-04-20' });
    expect(early.filter((f) => f.ruleId === 'YY-T03').length).toBeGreaterThan(0);
    const failed = run('yiyang', 'acceptance', { ...base, preliminaryAcceptanceConclusion: '不合格', trialRunEndDate: '2024-05-01', acceptanceApplicationDate: '2024-05-06' });
    expect(failed.find((f) => f.ruleId === 'YY-T03')?.message).toContain('不合格');
  });

  it('does not apply below 200万元', () => {
    expect(ruleIds(run('yiyang', 'acceptance', { ...base, totalInvestmentWan: 150, trialRunEndDate: '2024-02-01' }))).not.toContain('YY-T03');
  });

  it('warns that a month-precision start cannot be checked', () => {
    const findings = run('yiyang', 'acceptance', { ...base, trialRunStartDate: '2024-01' });
    expect(findings.find((f) => f.ruleId === 'YY-T03')?.severity).toBe('warning');
  });
});

describe('SC-T02 at least one month of trial run, report after it, before the application (shucheng 第二十条)', () => {
  it('accepts a run of exactly one month with the report in between', () => {
    const ok = run('shucheng', 'acceptance', { trialRunStartDate: '2024-03-01', trialRunEndDate: '2024-04-01', trialRunReportDate: '2024-04-02', acceptanceApplicationDate: '2024-04-10' });
    expect(ruleIds(ok)).not.toContain('SC-T02');
  });

  it('is an error when the run is short or the report comes after the application', () => {
    const short = run('shucheng', 'acceptance', { trialRunStartDate: '2024-03-01', trialRunEndDate: '2024-03-20' });
    expect(short.find((f) => f.ruleId === 'SC-T02')?.severity).toBe('error');
    const late = run('shucheng', 'acceptance', { trialRunStartDate: '2024-03-01', trialRunEndDate: '2024-04-05', trialRunReportDate: '2024-04-20', acceptanceApplicationDate: '2024-04-10' });
    expect(late.find((f) => f.ruleId === 'SC-T02')?.message).toContain('晚于竣工验收申请');
  });
});

describe('SC-K01 the construction plan has the listed contents (shucheng 第九条第二款)', () => {
  const plan = (text: string) => ({ files: [{ path: '项目建设方案.docx', docTypes: ['construction_plan'], sections: [], pages: [{ n: 1, text }] }] });

  it('reports each missing item once, by name', () => {
    const findings = run('shucheng', 'filing', {}, plan('一、建设现状\n二、需求分析\n三、编制依据\n四、建设目标\n五、投资概算与资金筹措\n六、建设内容\n七、设备清单\n八、业务流程\n九、总体架构\n十、数据共享\n十一、进度安排'));
    const k01 = findings.filter((f) => f.ruleId === 'SC-K01');
    expect(k01.map((f) => f.message).join('\n')).toContain('密码应用');
    expect(k01.map((f) => f.message).join('\n')).toContain('安全保障');
    expect(k01).toHaveLength(2);
  });

  it('is silent without a construction plan (its absence is a presence row)', () => {
    expect(ruleIds(run('shucheng', 'filing', {}))).not.toContain('SC-K01');
  });
});

describe('MT-T01 trial run passed, then the supervisor’s preliminary acceptance (municipal-template 三(四)1)', () => {
  it('is an error when the preliminary acceptance precedes the end of the trial run', () => {
    const findings = run('municipal-template', 'acceptance', { trialRunConclusion: '合格', trialRunEndDate: '2024-05-31', preliminaryAcceptanceDate: '2024-05-20' });
    expect(findings.find((f) => f.ruleId === 'MT-T01')?.severity).toBe('error');
  });

  it('is an error when the trial run did not pass, and silent when all is in order', () => {
    expect(ruleIds(run('municipal-template', 'acceptance', { trialRunConclusion: '不合格' }))).toContain('MT-T01');
    expect(ruleIds(run('municipal-template', 'acceptance', { trialRunConclusion: '合格', trialRunEndDate: '2024-05-31', preliminaryAcceptanceDate: '2024-06-05' }))).not.toContain('MT-T01');
  });
});

describe('when a checklist names a check that does not exist', () => {
  it('fails at load time with the rule named', () => {
    const checklist = loadChecklist('changde');
    expect(() =>
      bindRules([{ id: 'XX-T01', kind: 'T', state: 'checked', scope: 'dossier', check: 'noSuchCheck', params: {}, appliesWhen: 'always', severity: 'error', title: 't', citation: { article: '第一条', quote: 'q' } }], checklist.factTable),
    ).toThrow(/XX-T01.*noSuchCheck/);
  });
});

describe('rules are read and bound once per process, not per dossier', () => {
  it('reads common.yaml once', () => {
    expect(loadCommonRules()).toBe(loadCommonRules());
  });

  it('gives a loaded checklist the common rules, then its own, already bound', () => {
    const checklist = loadChecklist('yiyang');
    expect(checklist.boundRules.map((r) => r.rule.id)).toEqual([...loadCommonRules(), ...checklist.rules].map((r) => r.id));
    expect(checklist.boundRules.find((r) => r.rule.id === 'YY-T03')?.params).toEqual({ months: 3, applicationAfterRun: true, preliminaryPassBeforeApplication: true, reportAfterRun: false });
  });

  it('hands back the same bound rules when a caller binds them again for the next dossier', () => {
    const checklist = loadChecklist('changde');
    const again = bindRules([...loadCommonRules(), ...checklist.rules], checklist.factTable);
    expect(again).toHaveLength(checklist.boundRules.length);
    again.forEach((rule, i) => expect(rule).toBe(checklist.boundRules[i]));
  });
});

describe('rules added as data on the generic checks', () => {
  const file = (docType: string, text: string) => ({ files: [{ path: `${docType}.pdf`, docTypes: [docType], sections: [], pages: [{ n: 1, text }] }] });

  it('GEN-07: the contracts may not exceed the total investment', () => {
    expect(ruleIds(run('shenyang', 'acceptance', { projectContractsTotalWan: 80.01, totalInvestmentWan: 80 }))).toContain('GEN-07');
    expect(ruleIds(run('shenyang', 'acceptance', { projectContractsTotalWan: 80, totalInvestmentWan: 80 }))).not.toContain('GEN-07');
  });

  it('CD-T02: the supervisor is engaged before construction, with the main contract as a stand-in for the start', () => {
    const late = run('changde', 'acceptance', { hasSupervisor: true, totalInvestmentWan: 120, supervisionContractDate: '2024-03-10', mainContractDate: '2024-03-01' });
    expect(late.find((f) => f.ruleId === 'CD-T02')?.message).toContain('合同签订日期');
    const started = run('changde', 'acceptance', { hasSupervisor: true, totalInvestmentWan: 120, supervisionContractDate: '2024-03-10', mainContractDate: '2024-03-01', constructionStartDate: '2024-03-15' });
    expect(ruleIds(started)).not.toContain('CD-T02');
    expect(ruleIds(run('changde', 'acceptance', { hasSupervisor: true, totalInvestmentWan: 49.5, supervisionContractDate: '2024-03-10', mainContractDate: '2024-03-01' }))).not.toContain('CD-T02');
  });

  it('CD-K01: a technical plan without prices is reported, one with all four items is not', () => {
    const without = run('changde', 'filing', {}, file('technical_plan', '一、功能设计\n二、系统架构\n三、技术参数'));
    expect(without.filter((f) => f.ruleId === 'CD-K01').map((f) => f.message).join()).toContain('产品价格');
    expect(ruleIds(run('changde', 'filing', {}, file('technical_plan', '第一章 功能设计\n第二章 系统架构\n第三章 技术参数\n第四章 设备单价')))).not.toContain('CD-K01');
  });

  it('YY-K02: a contract with no termination clause is reported', () => {
    expect(ruleIds(run('yiyang', 'acceptance', {}, file('contract', '第一条 合同金额\n第二条 付款方式')))).toContain('YY-K02');
    expect(ruleIds(run('yiyang', 'acceptance', {}, file('contract', '第九条 合同解除与项目终止')))).not.toContain('YY-K02');
  });

  it('YY-P02: exactly 200万元 raises the boundary notice, 199.99 does not', () => {
    expect(ruleIds(run('yiyang', 'acceptance', { totalInvestmentWan: 200 }))).toContain('YY-P02');
    expect(ruleIds(run('yiyang', 'acceptance', { totalInvestmentWan: 199.99 }))).not.toContain('YY-P02');
  });

  it('SC-K04: all three data lists, an explicit 无 counts as present', () => {
    const two = run('shucheng', 'acceptance', {}, file('data_three_lists', '一、数据责任清单\n二、数据需求清单'));
    expect(two.filter((f) => f.ruleId === 'SC-K04').map((f) => f.message).join()).toContain('数据负面清单');
    expect(ruleIds(run('shucheng', 'acceptance', {}, file('data_three_lists', '一、数据责任清单\n二、数据需求清单\n三、数据负面清单：无')))).not.toContain('SC-K04');
  });

  it('MT-Q01: the preliminary acceptance is organised by the supervisor', () => {
    const other = run('municipal-template', 'acceptance', { preliminaryAcceptanceOrganizer: '青禾市数据局', supervisor: '某某监理有限公司' });
    expect(other.find((f) => f.ruleId === 'MT-Q01')?.severity).toBe('error');
    expect(ruleIds(run('municipal-template', 'acceptance', { preliminaryAcceptanceOrganizer: '某某监理有限公司', supervisor: '某某监理有限公司' }))).not.toContain('MT-Q01');
  });

  it('every seed rule quotes its regulation verbatim', async () => {
    const { readFileSync } = await import('node:fs');
    for (const city of ['changde', 'yiyang', 'shenyang', 'shucheng', 'municipal-template']) {
      const checklist = loadChecklist(city);
      const seed = readFileSync(sharedPath('seeds', checklist.seedFile), 'utf8');
      // Each part between … is verbatim, as for the rows (tests/checklists/seed-citations.test.ts).
      for (const rule of checklist.rules) for (const part of rule.citation.quote.split('…').filter(Boolean)) expect(seed, `${rule.id}`).toContain(part);
    }
  });
});
