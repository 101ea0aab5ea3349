import { fileURLToPath } from 'node:url';
import { unsureNote } from './render-markdown.ts';
import { Eta } from 'eta';
import { factLabel, readableQuote, findingLabel, FILE_STATUS_LABEL, RULE_LABEL, SEVERITY_LABEL, STAGE_LABEL, STATUS_LABEL, verdict } from './labels.ts';
import { correctionNote } from '../corrections/apply.ts';
import type { CompletenessReport, ReportFile, Requirement } from './schema.ts';
import { pageRangeText, segmentLines } from './segments.ts';

export interface HtmlOptions {
  /** Builds a link to open a file of the dossier (the API serves originals); absent in the CLI. */
  fileHref?: (index: number, path: string) => string;
  /** Builds a link that opens a file at a cited page with the quote marked (the API's evidence viewer). */
  evidenceHref?: (index: number, page: number | undefined, quote: string) => string;
}

/**
 * The HTML pages are Eta templates in `templates/`. Eta escapes every interpolation (`<%= %>`) for HTML, so a file
 * name such as `<script>….pdf` can only ever show up as text; the templates use raw output (`<%~ %>`) for their own
 * partials alone. Compiled templates are cached for the life of the process.
 */
export const htmlTemplates = new Eta({
  views: fileURLToPath(new URL('./templates/', import.meta.url)),
  autoEscape: true,
  cache: true,
});

/** A link to one of the dossier's files, or its bare name when there is nowhere to link to. */
interface FileLink {
  text: string;
  href?: string;
}

/** What report.eta shows: every value already chosen and labelled, so the template only lays it out. */
interface ReportView {
  project?: string;
  complete: boolean;
  /** ok / bad / fail: the verdict's colour (齐全, 需补正, 无法检查). */
  verdictTone: 'ok' | 'bad' | 'fail';
  verdict: string;
  cityMismatch?: { message: string; evidence: Array<{ file: FileLink; page?: number; quote: string; quoteHref?: string }> };
  regulation: string;
  cityName: string;
  stage: string;
  generatedAt: string;
  summary: CompletenessReport['summary'];
  missing: RequirementView[];
  confirm: RequirementView[];
  /** Asked rules waiting for a fact, shown with the 需确认 rows. */
  questions: Array<{ ruleId: string; title: string; question: string; article: string; quote: string; fact: string; factLabel: string }>;
  /** 人工核验要点. */
  review: Array<{
    ruleId: string;
    title: string;
    severity: string;
    article: string;
    quote: string;
    look: string;
    reason: string;
    lookIn: string;
    places: Array<{ file: FileLink; pages: string; label: string }>;
    unknownFacts: string;
  }>;
  findings: Array<{
    ruleId: string;
    /** The rule's or row's title, the id then follows in small grey type. */
    label?: string;
    article?: string;
    severity: string;
    message: string;
    evidence: Array<{ file?: FileLink; page?: number; quote?: string; quoteHref?: string }>;
  }>;
  satisfied: Array<{ id: string; title: string; article: string; file?: FileLink; pages?: string; page?: number; viaSection: boolean }>;
  /** 一个文件中装订的多份材料: one line per document of a bound volume. */
  segments: string[];
  notApplicable: Array<{ id: string; title: string }>;
  /** 需人工确认的文件: files whose type the classifier is unsure of, each with "可能是：XX（把握度…）". */
  unsure: Array<{ link: FileLink; note: string }>;
  files: Array<{
    link: FileLink;
    status: string;
    duplicate: boolean;
    needsReview: boolean;
    pageCount: number;
    ocrPages: number;
    docTypes: Array<{ name: string; percent: number }>;
    basis?: { rule: string; page?: number; quote: string; quoteHref?: string };
    /** 已人工指定类型: the officer's type and the note saying who, when and what the classifier had said. */
    correction?: { name: string; note: string };
    message: string;
  }>;
  /** 印章: each seal's crop beside what was read from it, so an officer checks the machine's reading at a glance. */
  seals: SealView[];
  skipped: string[];
}

interface SealView {
  link: FileLink;
  page?: number;
  /** data: URL of the seal as found on the page; absent for electronic seals (nothing to crop). */
  crop?: string;
  rim: string;
  centre?: string;
  kind: string;
  note: string;
}

interface RequirementView {
  id: string;
  title: string;
  tone: '' | 'warning' | 'confirm';
  status: string;
  severity: string;
  article: string;
  quote: string;
  whatToSubmit?: string;
  message?: string;
  /** The facts to declare: Chinese label first, the key after it in small grey type. */
  unknownFacts: Array<{ label: string; key: string }>;
  files: FileLink[];
}

/** A self-contained page (inline CSS, no scripts, no external assets) that opens on an isolated network. */
export function renderHtml(report: CompletenessReport, options: HtmlOptions = {}): string {
  return htmlTemplates.render('./report', reportView(report, options));
}

function reportView(report: CompletenessReport, options: HtmlOptions): ReportView {
  const project = report.fields.projectName?.value;
  const fileLink = (path: string): FileLink => {
    const i = report.files.findIndex((f) => f.path === path);
    return options.fileHref && i >= 0 ? { text: path, href: options.fileHref(i, path) } : { text: path };
  };
  const quoteHref = (path: string | undefined, page: number | undefined, quote: string): string | undefined => {
    const i = path ? report.files.findIndex((f) => f.path === path) : -1;
    return options.evidenceHref && i >= 0 ? options.evidenceHref(i, page || undefined, quote) : undefined;
  };
  const requirement = (r: Requirement, cls: 'missing' | 'confirm'): RequirementView => ({
    id: r.id,
    title: r.title,
    tone: cls === 'confirm' ? 'confirm' : r.severity === 'warning' ? 'warning' : '',
    status: STATUS_LABEL[r.status],
    severity: SEVERITY_LABEL[r.severity] ?? r.severity,
    article: r.basis.article,
    quote: clip(r.basis.quote, 160),
    whatToSubmit: r.whatToSubmit || undefined,
    message: r.message || undefined,
    unknownFacts: r.unknownFacts.map((key) => ({ label: factLabel(key, report.checklist.id), key })),
    files: r.evidence.filter((e) => e.path).map((e) => fileLink(e.path!)),
  });
  const withStatus = (...statuses: Requirement['status'][]) => report.requirements.filter((r) => statuses.includes(r.status));

  return {
    project: project ? String(project) : undefined,
    complete: report.complete,
    verdictTone: report.verdict.outcome === 'complete' ? 'ok' : report.verdict.outcome === 'uncheckable' ? 'fail' : 'bad',
    verdict: verdict(report),
    cityMismatch: report.cityMismatch
      ? { message: report.cityMismatch.message, evidence: report.cityMismatch.evidence.map((e) => ({ file: fileLink(e.path), page: e.page, quote: readableQuote(e.quote, 60), quoteHref: quoteHref(e.path, e.page, e.quote) })) }
      : undefined,
    regulation: report.checklist.regulation ?? report.checklist.name,
    cityName: report.cityName,
    stage: STAGE_LABEL[report.stage],
    generatedAt: report.generatedAt,
    summary: report.summary,
    missing: withStatus('missing', 'unreadable').map((r) => requirement(r, 'missing')),
    confirm: withStatus('needs_confirmation').map((r) => requirement(r, 'confirm')),
    questions: (report.questions ?? []).map((q) => ({
      ruleId: q.ruleId,
      title: q.title,
      question: q.question,
      article: q.article,
      quote: clip(q.quote, 160),
      fact: q.fact,
      factLabel: q.factLabel ?? '该事实',
    })),
    review: (report.reviewItems ?? []).map((r) => ({
      ruleId: r.ruleId,
      title: r.title,
      severity: SEVERITY_LABEL[r.severity] ?? r.severity,
      article: r.article,
      quote: clip(r.quote, 160),
      look: r.look,
      reason: r.reason,
      lookIn: r.lookIn.join('、'),
      places: r.places.map((p) => ({
        file: fileLink(p.path ?? ''),
        pages: p.pageRange ? ` 第${p.pageRange.first}–${p.pageRange.last}页` : p.page ? ` 第${p.page}页` : '',
        label: p.label ?? p.docType ?? '',
      })),
      unknownFacts: r.unknownFacts.map((key) => factLabel(key, report.checklist.id)).join('、'),
    })),
    findings: report.findings.map((f) => ({
      ruleId: f.ruleId,
      label: findingLabel(f.ruleId, report.checklist.id),
      article: f.article || undefined,
      severity: SEVERITY_LABEL[f.severity] ?? f.severity,
      message: f.message,
      evidence: f.evidence.map((e) => ({
        file: e.path ? fileLink(e.path) : undefined,
        page: e.page || undefined,
        quote: e.quote ? clip(e.quote, 80) : undefined,
        quoteHref: e.quote ? quoteHref(e.path, e.page, e.quote) : undefined,
      })),
    })),
    satisfied: withStatus('satisfied').map((r) => {
      const e = r.evidence[0];
      return {
        id: r.id,
        title: r.title,
        article: r.basis.article,
        file: e?.path ? fileLink(e.path) : undefined,
        pages: e?.pageRange ? pageRangeText(e.pageRange) : undefined,
        page: (!e?.pageRange && e?.page) || undefined,
        viaSection: e?.via === 'section',
      };
    }),
    notApplicable: withStatus('not_applicable').map((r) => ({ id: r.id, title: r.title })),
    unsure: report.files
      .filter((f) => f.candidates?.length && !f.duplicateOf && !f.correction)
      .map((f) => ({ link: fileLink(f.path), note: unsureNote(f.candidates!) })),
    files: report.files.map((f) => {
      const ev = f.docTypes[0]?.evidence;
      return {
        link: fileLink(f.path),
        status: FILE_STATUS_LABEL[f.status] ?? f.status,
        duplicate: Boolean(f.duplicateOf),
        needsReview: Boolean(f.needsReview),
        pageCount: f.pageCount,
        ocrPages: f.ocrPages,
        docTypes: f.docTypes.map((d) => ({ name: d.name, percent: Math.round(d.confidence * 100) })),
        basis: ev ? { rule: RULE_LABEL[ev.rule] ?? ev.rule, page: ev.page || undefined, quote: clip(ev.quote, 60), quoteHref: quoteHref(f.path, ev.page, ev.quote) } : undefined,
        correction: f.correction ? { name: f.correction.name, note: correctionNote(f.correction) } : undefined,
        message: f.message ?? '',
      };
    }),
    segments: report.files.flatMap(segmentLines),
    seals: report.files.flatMap((f) => (f.seals ?? []).map((seal) => sealView(fileLink(f.path), seal))),
    skipped: report.skipped,
  };
}

const SEAL_SHAPE_LABEL: Record<string, string> = { round: '圆形', oval: '椭圆形', square: '方形' };

function sealView(link: FileLink, seal: NonNullable<ReportFile['seals']>[number]): SealView {
  if (seal.electronic) {
    return {
      link,
      ...(seal.page ? { page: seal.page } : {}),
      rim: seal.name ?? seal.signer ?? '（未命名）',
      kind: seal.source === 'ofd-signature' ? 'OFD 电子签章' : 'PDF 数字签名',
      note: [seal.signer ? `签名人：${seal.signer}` : '', '仅读取，未验证签名'].filter(Boolean).join('；'),
    };
  }
  const notes = [
    seal.sure ? '' : '可能是印章（边框不完整或颜色较淡）',
    seal.cutAtEdge ? '骑缝章（仅部分在本页，文字未识别）' : '',
    seal.inkStrength !== undefined && seal.inkStrength < 0.2 ? '印色较淡' : '',
    seal.rimText && seal.rimConfidence !== undefined ? `识别置信度 ${seal.rimConfidence}` : '',
  ].filter(Boolean);
  return {
    link,
    ...(seal.page ? { page: seal.page } : {}),
    ...(seal.crop?.startsWith('data:image/png;base64,') ? { crop: seal.crop } : {}),
    rim: seal.rimText ?? '（文字未识别）',
    ...(seal.centreText ? { centre: seal.centreText } : {}),
    kind: `${SEAL_SHAPE_LABEL[seal.shape ?? ''] ?? ''}${seal.star ? '（有五角星）' : ''}印章`,
    note: notes.join('；'),
  };
}

function clip(s: string, n: number): string {
  return readableQuote(s, n);
}
