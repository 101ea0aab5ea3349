import type { RequirementStatus, Stage } from './schema.ts';
import { SEGMENT_BOUNDARY_LABEL } from './segments.ts';
import { docTypeName, listChecklists, loadCatalogue, loadChecklist, loadFacts } from '../../checklists/load.ts';

/** Chinese labels shared by every rendering, so Markdown, HTML and CSV say the same thing. */
export const STATUS_LABEL: Record<RequirementStatus, string> = {
  satisfied: '已提交',
  missing: '缺失',
  unreadable: '无法读取',
  needs_confirmation: '需确认',
  not_applicable: '不适用',
};

export const STAGE_LABEL: Record<Stage, string> = {
  filing: '立项申报',
  acceptance: '竣工验收',
};

export const SEVERITY_LABEL: Record<string, string> = {
  error: '错误',
  warning: '警告',
  info: '提示',
};

export const FILE_STATUS_LABEL: Record<string, string> = {
  ok: '正常',
  empty: '无内容',
  unreadable: '无法读取',
  encrypted: '已加密',
  unsupported: '暂不支持',
};

export const RULE_LABEL: Record<string, string> = {
  title: '标题',
  'combined-title': '合并标题',
  heading: '章节标题',
  content: '内容特征',
  'file-name': '文件名',
  officer: '人工指定',
  'title-grammar': '标题结构',
};

/** Where a dossier is in the API's processing (the web UI's list and status line). */
export const DOSSIER_STATUS_LABEL: Record<string, string> = {
  queued: '排队中',
  processing: '检查中',
  done: '已完成',
  failed: '失败',
  deleted: '已删除',
};

/**
 * The same labels as an ES module for the web UI (served as /ui/labels.js), so the browser and the reports never
 * drift apart.
 */
export function labelsModuleForUi(): string {
  const labels = { STAGE_LABEL, STATUS_LABEL, SEVERITY_LABEL, DOSSIER_STATUS: DOSSIER_STATUS_LABEL, CITY_LABEL: cityLabels(), RULE_LABEL, FILE_STATUS_LABEL, SEGMENT_BOUNDARY_LABEL };
  return Object.entries(labels)
    .map(([name, value]) => `export const ${name} = ${JSON.stringify(value)};`)
    .join('\n')
    .concat('\n');
}

/** The one-line verdict every rendering shows (made once, in verdict.ts, when the report is built). */
export function verdict(report: { verdict: { text: string } }): string {
  return report.verdict.text;
}

/**
 * A fact's Chinese label from the checklist data (checklists/facts.yaml, then the checklist's own facts), so no
 * rendering shows a fact key alone. The key itself when no data names it (a checklist under development).
 */
export function factLabel(name: string, checklistId?: string): string {
  const global = loadFacts().byName.get(name);
  if (global) return global.label;
  if (checklistId) {
    try {
      const local = loadChecklist(checklistId).localFacts.find((f) => f.name === name);
      if (local) return local.label;
    } catch {
      // A report of a checklist that is no longer shipped: fall through to the key.
    }
  }
  return name;
}

/**
 * Free text from the checklist data (a row's note) with every fact key it mentions replaced by the fact's label:
 * "其核定金额为 reviewedAmountWan" → "其核定金额为“评审核定金额”". Keys are matched as whole words.
 */
export function withFactLabels(text: string, checklistId?: string): string {
  return text.replace(/\b[a-z][A-Za-z0-9]{2,}\b/g, (word) => {
    const label = factLabel(word, checklistId);
    return label === word ? word : `“${label}”`;
  });
}

/**
 * What a finding is about, in Chinese, for the id it carries: a rule's title (GEN-10 → 应盖章的文件盖有…印章), a
 * row's title, or an unread file's state (FILE-UNREADABLE → 文件无法读取). Undefined when no data names it.
 */
export function findingLabel(ruleId: string, checklistId?: string): string | undefined {
  const file = /^FILE-([A-Z]+)$/.exec(ruleId);
  if (file) return `文件${FILE_STATUS_LABEL[file[1]!.toLowerCase()] ?? '有问题'}`;
  if (!checklistId) return undefined;
  try {
    const checklist = loadChecklist(checklistId);
    return checklist.boundRules.find((b) => b.rule.id === ruleId)?.rule.title ?? checklist.rows.find((r) => r.id === ruleId)?.title;
  } catch {
    return undefined;
  }
}

/** Each rule and row id of a checklist → its Chinese title, for the web UI's findings table. */
export function findingLabels(checklistId: string): Record<string, string> {
  const checklist = loadChecklist(checklistId);
  const out: Record<string, string> = {};
  for (const r of checklist.rows) out[r.id] = r.title;
  for (const b of checklist.boundRules) out[b.rule.id] = b.rule.title;
  for (const status of Object.keys(FILE_STATUS_LABEL)) out[`FILE-${status.toUpperCase()}`] = findingLabel(`FILE-${status.toUpperCase()}`)!;
  return out;
}

/** Each shipped checklist's id → its region's Chinese name (常德市), so no page shows `changde`. */
export function cityLabels(): Record<string, string> {
  return Object.fromEntries(listChecklists().map((c) => [c.id, c.name]));
}

/** A doc type's Chinese name from the catalogue (checklists/catalogue.yaml). */
export function docTypeLabel(id: string): string {
  return docTypeName(loadCatalogue(), id);
}

/**
 * A quote as a person reads it: whitespace folded, and the spaces OCR left where a line broke inside Chinese text
 * ("测试报 告" → "测试报告") removed; Latin words keep theirs. Clipped to n characters.
 */
export function readableQuote(text: string, n: number): string {
  const flat = text
    .replace(/\s+/g, ' ')
    .replace(/(?<=[\u3000-\u9fff\uff00-\uffef]) (?=[\u3000-\u9fff\uff00-\uffef])/g, '')
    .trim();
  return flat.length > n ? `${flat.slice(0, n)}…` : flat;
}
