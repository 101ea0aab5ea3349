import { z } from 'zod';
import type { LoadedChecklist } from '../../checklists/load.ts';
import { STAGE_LABEL } from '../report/labels.ts';
import type { CompletenessReport, Requirement } from '../report/schema.ts';

/**
 * 一次性告知书: what the reviewing department hands the construction unit when materials must be supplied (益阳 第十四条
 * "履行一次性告知义务"). This module decides the words; render-docx.ts and render-pdf.ts lay them out as a 公文
 * (GB/T 9704-2012). Every item is in Chinese: no rule id, fact key or doc-type id reaches the unit.
 */

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** What the officer may set before generating; everything else comes from the report. */
export const NoticeOptionsSchema = z.object({
  /** 发文机关: the reviewing department, as it signs. */
  issuer: z.string().trim().min(1).max(60).default('（审核部门）'),
  /** 发文字号, e.g. 常数据补〔2024〕3号. */
  docNumber: z.string().trim().max(40).optional(),
  /** 主送机关; by default the construction unit the dossier names. */
  addressee: z.string().trim().min(1).max(80).optional(),
  /** 补正期限 (a date, Beijing time). */
  deadline: z.string().regex(ISO_DATE, '补正期限应为 YYYY-MM-DD 格式的日期').optional(),
  /** 经办人 and 联系电话. */
  officer: z.string().trim().max(20).optional(),
  contact: z.string().trim().max(40).optional(),
  /** The unit's upload page for this dossier: printed and as a QR code. */
  uploadUrl: z.url({ protocol: /^https?$/, error: '上传链接应为 http(s) 地址' }).optional(),
  /** 成文日期; by default today in Beijing. */
  issuedOn: z.string().regex(ISO_DATE, '成文日期应为 YYYY-MM-DD 格式的日期').optional(),
});
export type NoticeOptions = z.input<typeof NoticeOptionsSchema>;

export const NoticeItemSchema = z.object({
  /** What is missing, as the checklist names it. */
  title: z.string(),
  /** What to submit, in the unit's terms. */
  whatToSubmit: z.string(),
  /** The regulation and article that require it. */
  basis: z.string(),
  /** Why the row is open when a file exists but could not be read. */
  note: z.string().optional(),
});
export type NoticeItem = z.infer<typeof NoticeItemSchema>;

export const NoticeContentSchema = z.object({
  issuer: z.string(),
  docNumber: z.string().optional(),
  title: z.string(),
  addressee: z.string(),
  opening: z.string(),
  /** Error-level gaps: 必须补正. */
  mustSupply: z.array(NoticeItemSchema),
  /** Warning-level gaps: 建议补充. */
  shouldSupply: z.array(NoticeItemSchema),
  /** Facts no document states, asked in words. */
  questions: z.array(z.string()),
  /** 人工核验要点: what the reviewer will check by hand, so the unit can make sure the materials show it. */
  reviewPoints: z.array(z.object({ title: z.string(), look: z.string(), basis: z.string() })).default([]),
  deadline: z.string(),
  contact: z.string().optional(),
  upload: z.object({ url: z.string(), text: z.string() }).optional(),
  closing: z.string(),
  /** 成文日期, written 2024年5月6日. */
  dateText: z.string(),
});
export type NoticeContent = z.infer<typeof NoticeContentSchema>;

const BEIJING = 'Asia/Shanghai';

/** 2024年5月6日 for a YYYY-MM-DD date or an instant (read in Beijing time). */
export function chineseDate(value: string | Date): string {
  if (typeof value === 'string' && ISO_DATE.test(value)) {
    const [year, month, day] = value.split('-').map(Number);
    return `${year}年${month}月${day}日`;
  }
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: BEIJING, year: 'numeric', month: 'numeric', day: 'numeric' }).formatToParts(
    typeof value === 'string' ? new Date(value) : value,
  );
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return `${part('year')}年${part('month')}月${part('day')}日`;
}

export function buildNoticeContent(report: CompletenessReport, checklist: LoadedChecklist, rawOptions: NoticeOptions, now: Date = new Date()): NoticeContent {
  const options = NoticeOptionsSchema.parse(rawOptions);
  const project = stringField(report, 'projectName') ?? '本项目';
  const unit = options.addressee ?? stringField(report, 'constructionUnit') ?? '项目建设单位';
  const stage = STAGE_LABEL[report.stage];
  const regulation = inBookTitleMarks(report.checklist.regulation ?? checklist.regulation ?? report.checklist.name);
  const gaps = report.requirements.filter((r) => r.status === 'missing' || r.status === 'unreadable');
  const mustSupply = gaps.filter((r) => r.severity === 'error').map((r) => item(r, regulation));
  const shouldSupply = gaps.filter((r) => r.severity !== 'error').map((r) => item(r, regulation));
  const questions = questionsFor(report, checklist);
  const reviewPoints = (report.reviewItems ?? []).map((r) => ({ title: r.title, look: r.look, basis: `${regulation}${r.article.split(/\s*[;；]\s*/).join('、')}` }));

  const opening =
    mustSupply.length === 0
      ? `你单位报送的《${project}》${stage}材料已收悉。经审核，材料齐全${shouldSupply.length > 0 ? '，另有以下材料建议补充' : ''}。现将有关事项一次性告知如下：`
      : `你单位报送的《${project}》${stage}材料已收悉。根据${regulation}的规定，经审核，结论为${report.verdict.text}。现将需补正的材料一次性告知如下：`;
  // Whether 补正 time counts against the review's time limit differs by city (the statutory clock says so); the
  // notice states only the deadline the officer set.
  const deadline = options.deadline ? `请于${chineseDate(options.deadline)}前按上述要求补正材料。` : '请按上述要求尽快补正材料。';
  const contactParts = [options.officer ? `经办人：${options.officer}` : '', options.contact ? `联系电话：${options.contact}` : ''].filter(Boolean);
  return NoticeContentSchema.parse({
    issuer: options.issuer,
    docNumber: options.docNumber,
    title: `关于《${project}》${stage}材料${mustSupply.length > 0 ? '补正' : '审核情况'}的一次性告知书`,
    addressee: unit,
    opening,
    mustSupply,
    shouldSupply,
    questions,
    reviewPoints,
    deadline,
    contact: contactParts.length > 0 ? contactParts.join('；') : undefined,
    upload: options.uploadUrl ? { url: options.uploadUrl, text: '补正材料请通过以下链接（或扫描二维码）上传至本项目：' } : undefined,
    closing: '特此告知。',
    dateText: chineseDate(options.issuedOn ?? now),
  });
}

function item(row: Requirement, regulation: string): NoticeItem {
  return {
    title: row.title,
    whatToSubmit: row.whatToSubmit,
    basis: `${regulation}${row.basis.article.split(/\s*[;；]\s*/).join('、')}`,
    note: row.status === 'unreadable' ? '已提交的文件无法读取（损坏、加密或格式不支持），请重新提交可读的文件' : undefined,
  };
}

/** The facts the checklist needed and no document stated, as the questions the checklist data words them. */
function questionsFor(report: CompletenessReport, checklist: LoadedChecklist): string[] {
  const names = [...new Set(report.requirements.filter((r) => r.status === 'needs_confirmation').flatMap((r) => r.unknownFacts))];
  const fromRows = names.map((name) => {
    const definition = checklist.facts.byName.get(name) ?? checklist.localFacts.find((f) => f.name === name);
    // A fact with no wording is asked by its label, never by its key; the key is not Chinese.
    return definition?.question ?? (definition?.label ? `请说明：${definition.label}` : '请说明本项目的有关情况');
  });
  // An asked rule's question is worded by its checklist; a fact a row already asks is asked once.
  const fromRules = (report.questions ?? []).filter((q) => !names.includes(q.fact)).map((q) => q.question);
  return [...new Set([...fromRows, ...fromRules])];
}

/** A regulation is cited inside 《》. */
function inBookTitleMarks(name: string): string {
  return name.startsWith('《') ? name : `《${name}》`;
}

function stringField(report: CompletenessReport, name: string): string | undefined {
  const value = report.fields[name]?.value;
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** One paragraph of the 正文, in order; both renderers lay out the same list. */
export interface NoticeParagraph {
  /** heading: 一、 level (黑体); para: indented body text; link: the upload address (with the QR code after it). */
  kind: 'heading' | 'para' | 'link';
  text: string;
}

export function noticeParagraphs(content: NoticeContent, ordinal: (n: number) => string): NoticeParagraph[] {
  const out: NoticeParagraph[] = [{ kind: 'para', text: content.opening }];
  let section = 0;
  const heading = (text: string) => out.push({ kind: 'heading', text: `${ordinal(++section)}、${text}` });
  const items = (list: NoticeItem[]) =>
    list.forEach((entry, i) =>
      out.push({ kind: 'para', text: `${i + 1}. ${entry.title}。应提交：${withoutStop(entry.whatToSubmit)}。${entry.note ? `${entry.note}。` : ''}依据：${entry.basis}。` }),
    );
  if (content.mustSupply.length > 0) {
    heading(`必须补正的材料（共 ${content.mustSupply.length} 项）`);
    items(content.mustSupply);
  }
  if (content.shouldSupply.length > 0) {
    heading(`建议补充的材料（共 ${content.shouldSupply.length} 项）`);
    items(content.shouldSupply);
  }
  if (content.questions.length > 0) {
    heading('需要说明的情况');
    out.push({ kind: 'para', text: '材料中未载明以下情况，请书面说明：' });
    content.questions.forEach((q, i) => out.push({ kind: 'para', text: `${i + 1}. ${q}` }));
  }
  if (content.mustSupply.length > 0 || content.shouldSupply.length > 0 || content.questions.length > 0) {
    heading('补正期限和方式');
    out.push({ kind: 'para', text: content.deadline });
    if (content.upload) {
      out.push({ kind: 'para', text: content.upload.text });
      out.push({ kind: 'link', text: content.upload.url });
    }
  }
  // After the deadline: the 补正 items stay first, numbered as before; these are for information.
  if (content.reviewPoints.length > 0) {
    heading('审核中人工核验的要点');
    out.push({ kind: 'para', text: '以下事项由审核人员对照材料逐项人工核验，请确保材料中载明相关内容：' });
    content.reviewPoints.forEach((r, i) => out.push({ kind: 'para', text: `${i + 1}. ${r.title}。核验：${withoutStop(r.look)}。依据：${r.basis}。` }));
  }
  if (content.contact) out.push({ kind: 'para', text: `${content.contact}。` });
  out.push({ kind: 'para', text: content.closing });
  return out;
}

function withoutStop(text: string): string {
  return text.replace(/[。；;.\s]+$/, '');
}
