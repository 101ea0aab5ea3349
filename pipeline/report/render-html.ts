import { FILE_STATUS_LABEL, RULE_LABEL, SEVERITY_LABEL, STAGE_LABEL, STATUS_LABEL, verdict } from './labels.ts';
import type { CompletenessReport, Requirement } from './schema.ts';

export interface HtmlOptions {
  /** Builds a link to open a file of the dossier (the API serves originals); absent in the CLI. */
  fileHref?: (index: number, path: string) => string;
}

/** A self-contained page (inline CSS, no scripts, no external assets) that opens on an isolated network. */
export function renderHtml(report: CompletenessReport, options: HtmlOptions = {}): string {
  const project = report.fields.projectName?.value;
  const missing = report.requirements.filter((r) => r.status === 'missing' || r.status === 'unreadable');
  const confirm = report.requirements.filter((r) => r.status === 'needs_confirmation');
  const satisfied = report.requirements.filter((r) => r.status === 'satisfied');
  const na = report.requirements.filter((r) => r.status === 'not_applicable');
  const s = report.summary;
  const fileLink = (path: string) => {
    const i = report.files.findIndex((f) => f.path === path);
    return options.fileHref && i >= 0 ? `<a href="${esc(options.fileHref(i, path))}">${esc(path)}</a>` : esc(path);
  };

  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>材料完整性检查报告${project ? ` - ${esc(String(project))}` : ''}</title>
<style>
body{font-family:"Microsoft YaHei","PingFang SC","Noto Sans CJK SC",sans-serif;margin:24px auto;max-width:1100px;color:#222;line-height:1.6;padding:0 16px}
h1{font-size:22px}h2{font-size:18px;border-bottom:2px solid #ddd;padding-bottom:4px;margin-top:28px}
.verdict{display:inline-block;padding:6px 14px;border-radius:4px;font-weight:bold;color:#fff}
.ok{background:#2e7d32}.bad{background:#c62828}
.item{border-left:4px solid #c62828;background:#fff5f5;padding:8px 12px;margin:8px 0}
.item.warning{border-color:#ef6c00;background:#fff8ef}.item.confirm{border-color:#1565c0;background:#f2f7ff}
.meta{color:#555;font-size:13px}table{border-collapse:collapse;width:100%;font-size:13px}
th,td{border:1px solid #ddd;padding:4px 6px;text-align:left;vertical-align:top}th{background:#f4f4f4}
code{background:#eee;padding:0 3px}q{color:#444}
</style></head><body>
<h1>材料完整性检查报告${project ? `：${esc(String(project))}` : ''}</h1>
<p><span class="verdict ${report.complete ? 'ok' : 'bad'}" data-testid="verdict">${verdict(report)}</span></p>
<p class="meta">适用办法：${esc(report.checklist.regulation ?? report.checklist.name)}（${esc(report.cityName)}）｜阶段：${STAGE_LABEL[report.stage]}｜生成时间：${esc(report.generatedAt)}</p>
<p class="meta">已提交 ${s.satisfied} 项，缺失 ${s.missing} 项，无法读取 ${s.unreadable} 项，需确认 ${s.needsConfirmation} 项，不适用 ${s.notApplicable} 项；文件 ${s.files} 个（无法读取 ${s.unreadableFiles} 个，OCR ${s.ocrPages} 页）</p>

<h2>缺失材料（${missing.length}）</h2>
${missing.length ? missing.map((r) => item(r, 'missing', fileLink)).join('\n') : '<p>无。</p>'}

<h2>需确认事项（${confirm.length}）</h2>
${confirm.length ? confirm.map((r) => item(r, 'confirm', fileLink)).join('\n') : '<p>无。</p>'}

<h2>其他问题（${report.findings.length}）</h2>
${
  report.findings.length
    ? `<table><tr><th>规则</th><th>级别</th><th>说明</th><th>依据</th></tr>${report.findings
        .map(
          (f) =>
            `<tr><td>${esc(f.ruleId)}${f.article ? `<br><span class="meta">${esc(f.article)}</span>` : ''}</td><td>${SEVERITY_LABEL[f.severity]}</td><td>${esc(f.message)}</td><td>${f.evidence
              .map((e) => `${e.path ? fileLink(e.path) : ''}${e.page ? ` 第${e.page}页` : ''}${e.quote ? ` <q>${esc(clip(e.quote, 80))}</q>` : ''}`)
              .join('<br>')}</td></tr>`,
        )
        .join('')}</table>`
    : '<p>无。</p>'
}

<h2>已提交材料（${satisfied.length}）</h2>
<table><tr><th>编号</th><th>材料</th><th>依据条款</th><th>文件</th></tr>
${satisfied
  .map((r) => {
    const e = r.evidence[0];
    return `<tr><td>${esc(r.id)}</td><td>${esc(r.title)}</td><td>${esc(r.basis.article)}</td><td>${e?.path ? fileLink(e.path) : ''}${e?.page ? ` 第${e.page}页` : ''}${e?.via === 'section' ? '（章节）' : ''}</td></tr>`;
  })
  .join('\n')}
</table>
${na.length ? `<p class="meta">不适用：${na.map((r) => `${esc(r.id)} ${esc(r.title)}`).join('；')}</p>` : ''}

<h2>文件清单（${report.files.length}）</h2>
<table><tr><th>文件</th><th>状态</th><th>页数（OCR）</th><th>识别类型</th><th>依据</th></tr>
${report.files
  .map((f) => {
    const types = f.docTypes.map((d) => `${esc(d.name)}（${Math.round(d.confidence * 100)}%）`).join('<br>') || '—';
    const ev = f.docTypes[0]?.evidence;
    const basis = ev ? `${RULE_LABEL[ev.rule] ?? ev.rule}${ev.page ? ` 第${ev.page}页` : ''} <q>${esc(clip(ev.quote, 60))}</q>` : esc(f.message ?? '');
    return `<tr><td>${fileLink(f.path)}</td><td>${FILE_STATUS_LABEL[f.status]}${f.duplicateOf ? '（重复）' : ''}${f.needsReview ? '<br>需人工查看' : ''}</td><td>${f.pageCount}（${f.ocrPages}）</td><td>${types}</td><td>${basis}</td></tr>`;
  })
  .join('\n')}
</table>
${report.skipped.length ? `<p class="meta">已跳过的系统文件：${report.skipped.map(esc).join('、')}</p>` : ''}
</body></html>
`;
}

function item(r: Requirement, cls: 'missing' | 'confirm', fileLink: (p: string) => string): string {
  const tone = cls === 'confirm' ? 'confirm' : r.severity === 'warning' ? 'warning' : '';
  return `<div class="item ${tone}" data-row="${esc(r.id)}"><b>${esc(r.id)} ${esc(r.title)}</b>（${STATUS_LABEL[r.status]}，${SEVERITY_LABEL[r.severity]}）
<div>依据：${esc(r.basis.article)} <q>${esc(clip(r.basis.quote, 160))}</q></div>
${r.whatToSubmit ? `<div>应提交：${esc(r.whatToSubmit)}</div>` : ''}
${r.message ? `<div>说明：${esc(r.message)}</div>` : ''}
${r.unknownFacts.length ? `<div>请声明：${r.unknownFacts.map((f) => `<code>${esc(f)}</code>`).join('、')}</div>` : ''}
${r.evidence.filter((e) => e.path).map((e) => `<div class="meta">相关文件：${fileLink(e.path!)}</div>`).join('')}
</div>`;
}

function clip(s: string, n: number): string {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length > n ? `${flat.slice(0, n)}…` : flat;
}

export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
