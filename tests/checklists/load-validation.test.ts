import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { ChecklistValidationError, checkChecklist, loadChecklist, prepareCatalogue, prepareChecklist, readDataFile, CATALOGUE_PATH } from '../../checklists/load.ts';
import { lintChecklistFile } from '../../checklists/lint.ts';

/** A minimal valid checklist; each test breaks one thing. */
function validChecklist(): Record<string, any> {
  return {
    schemaVersion: 1,
    id: 'test-city',
    name: '测试市',
    regulation: '《测试市办法》',
    seedFile: 'none.txt',
    entryIntoForce: {},
    agencies: [{ name: '市数据局', role: '验收' }],
    scope: { article: '第二条', text: '市本级' },
    rows: [
      {
        id: 'TC-A01',
        stage: 'acceptance',
        title: '竣工验收申请',
        submit: '竣工验收申请',
        requirement: { docType: 'acceptance_application' },
        condition: 'always',
        basis: 'listed',
        severity: 'error',
        citation: { article: '第十条', quote: '提出竣工验收申请' },
      },
      {
        id: 'TC-F01',
        stage: 'filing',
        step: 'plan',
        title: '可行性研究报告',
        submit: '可研',
        requirement: { docType: 'feasibility_report' },
        condition: 'totalInvestmentWan >= 100',
        basis: 'listed',
        severity: 'error',
        citation: { article: '第五条', quote: '提交可行性研究报告' },
      },
    ],
  };
}

function problemsOf(raw: unknown): string[] {
  const result = checkChecklist(raw);
  return result.ok ? [] : result.problems;
}

describe('when a checklist is valid', () => {
  it('loads with its conditions bound', () => {
    const c = prepareChecklist(validChecklist());
    expect(c.rows.map((r) => r.id)).toEqual(['TC-A01', 'TC-F01']);
    expect(c.rows[1]!.condition.facts).toEqual(['totalInvestmentWan']);
  });
});

describe('when a row is broken, loading fails loudly', () => {
  it('rejects a row without a citation', () => {
    const raw = validChecklist();
    delete raw.rows[0].citation;
    expect(() => prepareChecklist(raw, { source: 'test.yaml' })).toThrow(ChecklistValidationError);
    expect(problemsOf(raw)).toEqual([expect.stringContaining('行 TC-A01：缺少必填字段 citation')]);
  });

  it('rejects a citation with an empty quote', () => {
    const raw = validChecklist();
    raw.rows[0].citation.quote = '';
    expect(problemsOf(raw).join('\n')).toContain('引文缺少原文');
  });

  it('rejects a row naming an unknown doc type', () => {
    const raw = validChecklist();
    raw.rows[0].requirement = { docType: 'feasability_report' };
    expect(problemsOf(raw)).toEqual(['行 TC-A01：文档类型 feasability_report 不在目录中']);
  });

  it('rejects an any-of alternative naming an unknown doc type', () => {
    const raw = validChecklist();
    raw.rows[0].requirement = { anyOf: [{ allOf: ['contract', 'no_such_type'] }] };
    expect(problemsOf(raw).join('\n')).toContain('文档类型 no_such_type 不在目录中');
  });

  it('rejects a condition naming an unknown fact', () => {
    const raw = validChecklist();
    raw.rows[1].condition = 'totalInvestment >= 100';
    expect(problemsOf(raw).join('\n')).toContain('未知事实 totalInvestment');
  });

  it('rejects a condition that does not parse', () => {
    const raw = validChecklist();
    raw.rows[1].condition = 'totalInvestmentWan >= (100';
    expect(problemsOf(raw).join('\n')).toMatch(/行 TC-F01：条件“totalInvestmentWan >= \(100”：缺少右括号/);
  });

  it('rejects a condition comparing a boolean fact with a number', () => {
    const raw = validChecklist();
    raw.rows[1].condition = 'major >= 100';
    expect(problemsOf(raw).join('\n')).toContain('两边类型不同');
  });

  it('rejects duplicate row ids', () => {
    const raw = validChecklist();
    raw.rows[1].id = 'TC-A01';
    raw.rows[1].stage = 'acceptance';
    delete raw.rows[1].step;
    expect(problemsOf(raw)).toContain('行 TC-A01：行编号重复');
  });

  it('rejects a filing row without a step', () => {
    const raw = validChecklist();
    delete raw.rows[1].step;
    expect(problemsOf(raw).join('\n')).toContain('申报阶段的行必须注明步骤');
  });

  it('rejects a section host that is no doc type', () => {
    const raw = validChecklist();
    raw.rows[0].requirement = { docType: 'self_inspection_report', sections: { hosts: ['letter'] } };
    expect(problemsOf(raw).join('\n')).toContain('章节宿主 letter 不在目录中');
  });

  it('rejects a section key used as an ordinary doc type', () => {
    const raw = validChecklist();
    raw.rows[0].requirement = { docType: 'funding_source_statement' };
    expect(problemsOf(raw).join('\n')).toContain('funding_source_statement 是章节键');
  });

  it('rejects a local fact that shadows a global one', () => {
    const raw = validChecklist();
    raw.localFacts = [{ name: 'major', type: 'boolean', definition: 'totalInvestmentWan > 1', label: 'x', question: 'y' }];
    expect(problemsOf(raw)).toContain('本地事实 major 与已有事实重名');
  });

  it('lists every problem at once, not only the first', () => {
    const raw = validChecklist();
    raw.rows[0].requirement = { docType: 'nope' };
    raw.rows[1].condition = 'nothing';
    expect(problemsOf(raw)).toHaveLength(2);
  });
});

describe('when the catalogue is broken', () => {
  it('rejects a duplicate doc-type id', () => {
    const raw = readDataFile(CATALOGUE_PATH) as { docTypes: unknown[] };
    raw.docTypes.push(raw.docTypes[0]);
    expect(() => prepareCatalogue(raw)).toThrow(/文档类型编号重复：application_form/);
  });
});

describe('when linting a checklist file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'checklist-lint-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('passes a shipped checklist', () => {
    expect(lintChecklistFile(new URL('../../checklists/jurisdictions/yiyang.yaml', import.meta.url).pathname)).toMatchObject({ ok: true, problems: [], rows: 41 });
  });

  it('reports Chinese problems for a broken row, naming the row', () => {
    const raw = validChecklist();
    raw.rows[0].requirement = { docType: 'nope' };
    const file = join(dir, 'broken.yaml');
    writeFileSync(file, YAML.stringify(raw));
    expect(lintChecklistFile(file)).toEqual({ ok: false, problems: ['行 TC-A01：文档类型 nope 不在目录中'] });
  });

  it('reports a YAML syntax error with its line', () => {
    const file = join(dir, 'syntax.yaml');
    writeFileSync(file, 'id: x\nrows: [\n  - a: b\n');
    const result = lintChecklistFile(file);
    expect(result.ok).toBe(false);
    expect(result.problems[0]).toMatch(/^YAML\/JSON 语法错误：第\d+行/);
  });

  it('accepts a checklist written as JSON', () => {
    const file = join(dir, 'ok.json');
    writeFileSync(file, JSON.stringify(validChecklist()));
    expect(lintChecklistFile(file).ok).toBe(true);
    expect(loadChecklist(file).id).toBe('test-city');
  });
});

describe('when asking for a checklist that does not exist', () => {
  it('names the shipped ones', () => {
    expect(() => loadChecklist('changsha')).toThrow(/没有内置的地区检查清单“changsha”.*changde/);
  });
});
