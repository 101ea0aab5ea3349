import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { lintChecklistFile } from '../../checklists/lint.ts';
import { ChecklistValidationError, checkChecklist, loadChecklist } from '../../checklists/load.ts';
import type { OcrEngine } from '../../extractors/model.ts';
import { runDossierFlow } from '../../pipeline/flow.ts';

/** A minimal valid checklist with one rule beyond presence; each test breaks the rule in one way. */
function checklistWithRule(rule: Record<string, unknown>): Record<string, unknown> {
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
        basis: 'listed',
        severity: 'error',
        citation: { article: '第十条', quote: '提出竣工验收申请' },
      },
    ],
    rules: [
      {
        id: 'TC-T01',
        kind: 'T',
        check: 'trialRunDuration',
        params: { months: 3 },
        appliesWhen: 'stage == acceptance && totalInvestmentWan >= 200',
        severity: 'error',
        title: '试运行满3个月',
        citation: { article: '第二十条', quote: '试运行3个月' },
        ...rule,
      },
    ],
  };
}

const dir = mkdtempSync(join(tmpdir(), 'checklist-rules-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writeChecklist(name: string, rule: Record<string, unknown>): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, YAML.stringify(checklistWithRule(rule)));
  return file;
}

/** The error loadChecklist throws for the file; fails the test when it loads. */
function loadError(file: string): ChecklistValidationError {
  try {
    loadChecklist(file);
  } catch (error) {
    if (error instanceof ChecklistValidationError) return error;
    throw error;
  }
  throw new Error(`${file} loaded although its rule is broken`);
}

describe('when a checklist rule is sound', () => {
  it('loads with the rule bound and its params parsed', () => {
    const checklist = loadChecklist(writeChecklist('sound', {}));
    const rule = checklist.boundRules.find((r) => r.rule.id === 'TC-T01');
    expect(rule?.appliesWhen.facts).toEqual(['stage', 'totalInvestmentWan']);
    expect(rule?.params).toMatchObject({ months: 3, reportAfterRun: false });
  });
});

describe('when a checklist rule names a check that does not exist', () => {
  const file = writeChecklist('unknown-check', { check: 'trialRunLength' });

  it('fails at load with a Chinese message naming the file, the rule and the check', () => {
    const error = loadError(file);
    expect(error.message).toContain(file);
    expect(error.problems).toEqual([expect.stringMatching(/^规则 TC-T01：检查“trialRunLength”不存在（可用的检查：.*trialRunDuration/)]);
  });
});

describe('when a checklist rule’s params do not fit its check', () => {
  it('rejects a misspelt param and names the one that is missing', () => {
    const error = loadError(writeChecklist('misspelt-param', { params: { month: 3 } }));
    expect(error.message).toContain(join(dir, 'misspelt-param.yaml'));
    expect(error.problems).toContain('规则 TC-T01：检查 trialRunDuration 的参数 months 有误：无效输入：期望 数字，实际接收 undefined');
    expect(error.problems.join('\n')).toMatch(/规则 TC-T01：检查 trialRunDuration 的参数有误：.*month/);
  });

  it('rejects a param of the wrong type', () => {
    const error = loadError(writeChecklist('wrong-type', { params: { months: '三个月' } }));
    expect(error.problems).toEqual(['规则 TC-T01：检查 trialRunDuration 的参数 months 有误：无效输入：期望 数字，实际接收 string']);
  });

  it('rejects a list where the check compares exactly two facts', () => {
    const error = loadError(writeChecklist('three-facts', { check: 'differentOrganisations', kind: 'C', params: { facts: ['contractor', 'supervisor', 'constructionUnit'] } }));
    expect(error.problems.join('\n')).toMatch(/^规则 TC-T01：检查 differentOrganisations 的参数 facts 有误：/);
  });

  it('rejects a section-items rule without items', () => {
    const error = loadError(writeChecklist('no-items', { check: 'sectionItems', kind: 'K', params: { docType: 'technical_plan' } }));
    expect(error.problems.join('\n')).toContain('规则 TC-T01：检查 sectionItems 的参数 items 有误');
  });
});

describe('when a checklist rule’s appliesWhen does not bind', () => {
  it('rejects an unknown fact', () => {
    const error = loadError(writeChecklist('unknown-fact', { appliesWhen: 'stage == acceptance && trialRunMonths >= 3' }));
    expect(error.problems).toEqual(['规则 TC-T01：适用条件（appliesWhen）“stage == acceptance && trialRunMonths >= 3”：未知事实 trialRunMonths']);
  });

  it('rejects a fact compared with a value of another type', () => {
    const error = loadError(writeChecklist('wrong-fact-type', { appliesWhen: 'major >= 200' }));
    expect(error.problems.join('\n')).toMatch(/^规则 TC-T01：适用条件（appliesWhen）“major >= 200”：.*两边类型不同/);
  });

  it('rejects an enum value the fact does not have', () => {
    const error = loadError(writeChecklist('wrong-enum-value', { appliesWhen: 'stage == completion' }));
    expect(error.problems.join('\n')).toContain('“completion”不是 stage');
  });
});

describe('when a checklist rule reuses the id of a common rule', () => {
  it('is rejected as a duplicate', () => {
    const error = loadError(writeChecklist('duplicate-id', { id: 'GEN-03' }));
    expect(error.problems).toEqual(['规则 GEN-03：规则编号重复']);
  });
});

describe('when a checklist has several broken rules', () => {
  it('lists every problem at once', () => {
    const raw = checklistWithRule({ check: 'nope' }) as { rules: Array<Record<string, unknown>> };
    raw.rules.push({ ...raw.rules[0]!, id: 'TC-T02', check: 'trialRunDuration', appliesWhen: 'nothing' });
    const result = checkChecklist(raw);
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.problems.map((p) => p.split('：')[0])).toEqual(['规则 TC-T01', '规则 TC-T02']);
  });
});

describe('when a broken rule meets the dossier flow', () => {
  it('stops the check before any file of the dossier is read', async () => {
    const file = writeChecklist('flow', { params: { months: 0 } });
    const noOcr = {} as OcrEngine;
    // The dossier does not exist: an intake error would mean the flow read files before loading the checklist.
    await expect(runDossierFlow({ input: join(dir, 'no-such-dossier.zip'), checklist: file, stage: 'acceptance', ocr: noOcr })).rejects.toThrow(ChecklistValidationError);
  });
});

describe('when linting a checklist file with a broken rule', () => {
  it('reports the rule’s problem in Chinese', () => {
    const file = writeChecklist('lint-params', { params: { months: 3, reportAfterrun: true } });
    expect(lintChecklistFile(file)).toEqual({ ok: false, problems: ['规则 TC-T01：检查 trialRunDuration 的参数有误：出现未知的键(key): "reportAfterrun"'] });
  });

  it('exits 2 from `dossier checklists lint`, printing the file and the rule', async () => {
    const file = writeChecklist('lint-cli', { check: 'trialRunLength' });
    const bin = join(import.meta.dirname, '..', '..', 'bin', 'dossier.mjs');
    const result = await promisify(execFile)(process.execPath, [bin, 'checklists', 'lint', file]).then(
      ({ stdout }) => ({ code: 0, stdout }),
      (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
    );
    expect(result.code).toBe(2);
    expect(result.stdout).toContain(`${file}：规则 TC-T01：检查“trialRunLength”不存在`);
  });
});
