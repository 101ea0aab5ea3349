import { describeCondition } from './conditions/describe.ts';
import { docTypeName, type LoadedChecklist, type LoadedRow } from './load.ts';
import type { Stage } from './schema.ts';

/** `dossier checklists show <id>`: the checklist as plain text, one block per row, for a person reviewing it. */

const STAGE_NAMES: Record<Stage, string> = { filing: '申报/立项', acceptance: '竣工验收' };
const STEP_NAMES = { plan: '计划申报', approval: '立项审批' } as const;
const BASIS_NAMES = { listed: '办法列明', precondition: '前置条件', implied: '隐含要求', output: '验收产出' } as const;
const SEVERITY_NAMES = { error: '错误', warning: '警告' } as const;

export function describeChecklist(checklist: LoadedChecklist, stage?: Stage): string {
  const lines: string[] = [];
  lines.push(`${checklist.name}：${checklist.regulation}${checklist.documentNumber ? `（${checklist.documentNumber}）` : ''}`);
  lines.push(`依据文件：${checklist.seedFile}`);
  if (checklist.entryIntoForce.date) lines.push(`施行日期：${checklist.entryIntoForce.date}${checklist.entryIntoForce.quote ? `（${checklist.entryIntoForce.article ?? ''}“${checklist.entryIntoForce.quote}”）` : ''}`);
  else if (checklist.entryIntoForce.note) lines.push(`施行日期：${checklist.entryIntoForce.note}`);
  lines.push(`主管部门：${checklist.agencies.map((a) => `${a.name}（${a.role}）`).join('；')}`);
  for (const local of checklist.localFacts) lines.push(`本地事实：${local.name} := ${local.definition}（${local.label}）`);
  for (const s of ['filing', 'acceptance'] as const) {
    if (stage && stage !== s) continue;
    const rows = checklist.rows.filter((r) => r.stage === s);
    lines.push('', `【${STAGE_NAMES[s]}】共 ${rows.length} 项`);
    for (const row of rows) lines.push(...describeRow(row, checklist));
  }
  return `${lines.join('\n')}\n`;
}

function describeRow(row: LoadedRow, checklist: LoadedChecklist): string[] {
  const wording = (name: string) => {
    const f = checklist.facts.byName.get(name);
    if (f) return { label: f.label, valueLabels: f.valueLabels };
    const local = checklist.localFacts.find((l) => l.name === name);
    return local ? { label: local.label } : undefined;
  };
  const step = row.step ? `［${STEP_NAMES[row.step]}］` : '';
  const requirement = row.requirement.alternatives
    .map((a) => a.allOf.map((t) => `${docTypeName(checklist.catalogue, t)}（${t}）`).join(' + ') + (a.guard ? `［仅限：${a.guardText ?? describeCondition(a.guard, wording)}］` : ''))
    .join(' 或 ');
  const out = [
    `${row.id}${step} ${row.title}`,
    `  应提交：${row.submit}`,
    `  文档类型：${requirement}`,
  ];
  const section = row.requirement.section;
  if (section) out.push(`  可为章节：宿主 ${section.hosts.map((h) => (h === 'any' ? '任意文件' : docTypeName(checklist.catalogue, h))).join('、')}；标题含 ${section.headings.join('、')}`);
  out.push(`  条件：${describeCondition(row.condition, wording)}${row.condition.always ? '' : `（${row.condition.source}）`}`);
  if (row.naWhen) out.push(`  可声明不适用：${describeCondition(row.naWhen, wording)}`);
  out.push(`  性质：${BASIS_NAMES[row.basis]}；缺失为${SEVERITY_NAMES[row.severity]}`);
  out.push(`  依据：${row.citation.article}“${row.citation.quote}”${row.citation.quoteNormalised ? `（${row.citation.quoteNormalised}）` : ''}`);
  if (row.note) out.push(`  说明：${row.note}`);
  return out;
}
