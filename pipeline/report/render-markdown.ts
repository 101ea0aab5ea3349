import { factLabel, readableQuote, FILE_STATUS_LABEL, RULE_LABEL, SEVERITY_LABEL, STAGE_LABEL, STATUS_LABEL, verdict } from './labels.ts';
import { correctionNote } from '../corrections/apply.ts';
import type { CompletenessReport, Requirement } from './schema.ts';
import { evidenceWhere, segmentLines } from './segments.ts';

/** A report for people: missing items first, each with its article and what to submit. */
export function renderMarkdown(report: CompletenessReport): string {
  const out: string[] = [];
  const projectName = report.fields.projectName?.value;
  out.push(`# 材料完整性检查报告${projectName ? `：${projectName}` : ''}`);
  out.push('');
  out.push(`- 适用办法：${report.checklist.regulation ?? report.checklist.name}（${report.cityName}）`);
  out.push(`- 阶段：${STAGE_LABEL[report.stage]}`);
  out.push(`- 结论：**${verdict(report)}**`);
  if (report.cityMismatch) {
    const where = report.cityMismatch.evidence.map((e) => `${e.path}${e.page ? ` 第 ${e.page} 页` : ''}“${readableQuote(e.quote, 60)}”`).join('；');
    out.push(`- **${report.cityMismatch.message}**（依据：${where}）`);
  }
  const s = report.summary;
  out.push(
    `- 统计：已提交 ${s.satisfied} 项，缺失 ${s.missing} 项，无法读取 ${s.unreadable} 项，需确认 ${s.needsConfirmation} 项，不适用 ${s.notApplicable} 项；文件 ${s.files} 个（无法读取 ${s.unreadableFiles} 个，OCR 识别 ${s.ocrPages} 页）`,
  );
  out.push('');

  const missing = report.requirements.filter((r) => r.status === 'missing' || r.status === 'unreadable');
  out.push(`## 缺失材料（${missing.length}）`);
  out.push('');
  if (missing.length === 0) out.push('无。');
  for (const r of missing) out.push(...requirementBlock(r));
  out.push('');

  const confirm = report.requirements.filter((r) => r.status === 'needs_confirmation');
  const questions = report.questions ?? [];
  out.push(`## 需确认事项（${confirm.length + questions.length}）`);
  out.push('');
  if (confirm.length + questions.length === 0) out.push('无。');
  for (const r of confirm) {
    out.push(...requirementBlock(r));
    if (r.unknownFacts.length) out.push(`  - 请声明：${r.unknownFacts.map((f) => `${factLabel(f, report.checklist.id)}（命令行 \`--fact ${f}=值\`）`).join('、')}`);
  }
  for (const q of questions) {
    out.push(`- **${q.ruleId} ${q.title}**：${q.question}`);
    out.push(`  - 依据：${q.article}「${clip(q.quote, 120)}」`);
    out.push(`  - 请声明：${q.factLabel ?? '该事实'}（\`--fact ${q.fact}=值\`），声明后即按本条核对`);
  }
  out.push('');

  const unsure = report.files.filter((f) => f.candidates?.length && !f.duplicateOf && !f.correction);
  if (unsure.length > 0) {
    out.push(`## 需人工确认的文件（${unsure.length}）`);
    out.push('');
    for (const f of unsure) out.push(`- ${f.path}：${unsureNote(f.candidates!)}`);
    out.push('');
  }

  out.push(`## 其他问题（${report.findings.length}）`);
  out.push('');
  if (report.findings.length === 0) out.push('无。');
  for (const f of report.findings) {
    const where = f.evidence
      .filter((e) => e.path)
      .map((e) => `${e.path}${e.page ? ` 第${e.page}页` : ''}${e.quote ? `「${clip(e.quote, 60)}」` : ''}`)
      .join('；');
    out.push(`- [${SEVERITY_LABEL[f.severity]}] ${f.ruleId}${f.article ? `（${f.article}）` : ''}：${f.message}${where ? `（依据：${where}）` : ''}`);
  }
  out.push('');

  const review = report.reviewItems ?? [];
  out.push(`## 人工核验要点（${review.length}）`);
  out.push('');
  if (review.length === 0) out.push('无。');
  for (const r of review) out.push(...reviewBlock(r));
  out.push('');

  out.push('## 已提交材料');
  out.push('');
  const satisfied = report.requirements.filter((r) => r.status === 'satisfied');
  for (const r of satisfied) {
    const ev = r.evidence[0];
    out.push(`- ${r.id} ${r.title}：${ev ? evidenceWhere(ev) : ''}${ev?.page && !ev.pageRange ? ` 第${ev.page}页` : ''}${ev?.via === 'section' ? '（章节）' : ''}`);
  }
  const na = report.requirements.filter((r) => r.status === 'not_applicable');
  if (na.length) out.push('', `不适用：${na.map((r) => `${r.id} ${r.title}`).join('；')}`);
  out.push('');

  out.push('## 文件清单');
  out.push('');
  out.push('| 文件 | 状态 | 页数（OCR） | 识别类型 | 依据 |');
  out.push('|---|---|---|---|---|');
  for (const f of report.files) {
    const types = f.correction ? f.correction.name : f.docTypes.map((d) => `${d.name}（${Math.round(d.confidence * 100)}%）`).join('、') || '—';
    const ev = f.docTypes[0]?.evidence;
    const basis = f.correction
      ? cell(correctionNote(f.correction))
      : ev
        ? `${RULE_LABEL[ev.rule] ?? ev.rule}${ev.page ? ` 第${ev.page}页` : ''}「${cell(clip(ev.quote, 40))}」`
        : cell(f.message ?? '');
    out.push(`| ${cell(f.path)} | ${FILE_STATUS_LABEL[f.status]}${f.duplicateOf ? '（重复）' : ''} | ${f.pageCount}（${f.ocrPages}） | ${cell(types)} | ${basis} |`);
  }
  const bound = report.files.filter((f) => segmentLines(f).length > 0);
  if (bound.length > 0) {
    out.push('', '### 一个文件中装订的多份材料', '');
    for (const f of bound) for (const line of segmentLines(f)) out.push(`- ${line}`);
  }
  if (report.skipped.length) out.push('', `已跳过的系统文件：${report.skipped.map(cell).join('、')}`);
  out.push('');
  return out.join('\n');
}

/** "可能是：竣工报告（把握度 0.45）、监理报告（把握度 0.30）；依据：…" for a file whose type is unsure. */
export function unsureNote(candidates: NonNullable<CompletenessReport['files'][number]['candidates']>): string {
  const maybe = candidates.map((c) => `${c.name}（把握度 ${c.score.toFixed(2)}）`).join('、');
  const first = candidates[0]?.evidence;
  const why = first ? `；依据：${first.note ?? RULE_LABEL[first.rule] ?? first.rule}${first.quote ? `「${clip(first.quote, 40)}」` : ''}` : '';
  return `可能是：${maybe}${why}`;
}

function requirementBlock(r: Requirement): string[] {
  const lines = [`- **${r.id} ${r.title}**（${STATUS_LABEL[r.status]}，${SEVERITY_LABEL[r.severity]}）`];
  lines.push(`  - 依据：${r.basis.article}「${clip(r.basis.quote, 120)}」`);
  if (r.whatToSubmit) lines.push(`  - 应提交：${r.whatToSubmit}`);
  if (r.message) lines.push(`  - 说明：${r.message}`);
  for (const e of r.evidence) if (e.path) lines.push(`  - 相关文件：${evidenceWhere(e)}`);
  return lines;
}

/** One 人工核验要点: the article, what to look at, where the dossier has it, and why a person decides. */
export function reviewBlock(r: CompletenessReport['reviewItems'][number]): string[] {
  const lines = [`- **${r.ruleId} ${r.title}**（${SEVERITY_LABEL[r.severity]}）`];
  lines.push(`  - 依据：${r.article}「${clip(r.quote, 120)}」`);
  lines.push(`  - 核验：${r.look}`);
  lines.push(`  - 查看：${r.places.length ? r.places.map(reviewPlace).join('；') : `材料中未见${r.lookIn.join('、')}`}`);
  if (r.unknownFacts.length) lines.push(`  - 是否适用取决于尚未确定的事实：${r.unknownFacts.map((f) => `${factLabel(f)}（\`${f}\`）`).join('、')}`);
  lines.push(`  - 为何人工核验：${r.reason}`);
  return lines;
}

/** 监理报告.pdf 第3–9页（监理报告） */
export function reviewPlace(e: CompletenessReport['reviewItems'][number]['places'][number]): string {
  const pages = e.pageRange ? ` 第${e.pageRange.first}–${e.pageRange.last}页` : e.page ? ` 第${e.page}页` : '';
  return `${e.path}${pages}（${e.label ?? e.docType ?? ''}）`;
}

function clip(s: string, n: number): string {
  return readableQuote(s, n);
}

function cell(s: string): string {
  return s.replace(/\|/g, '｜').replace(/\n/g, ' ');
}
