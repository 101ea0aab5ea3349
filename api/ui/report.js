import { factChanges, factEntries } from './fact-entries.js';
import { api, FILE_STATUS_LABEL, RULE_LABEL, SEGMENT_BOUNDARY_LABEL, factControl, formatBytes, formatTime, h, progressBar, SEVERITY_LABEL, showError, sleep, STAGE_LABEL, start, STATUS_LABEL, uploadForm } from './common.js';

// Report page: the verdict at a glance, what is missing (article, what to submit), what needs a declared fact
// (with the control to declare it and re-check), the file table with evidence and links to the files, findings.

const me = await start('');
const main = document.querySelector('main');
const id = new URLSearchParams(location.search).get('id') ?? '';
const base = `/api/v1/dossiers/${encodeURIComponent(id)}`;

// Same wording as pipeline/report/labels.ts, so the page and the printable report agree.
const VERDICT_TONE = { complete: 'ok', needs_supplement: 'bad', uncheckable: 'fail' };
// Officers and admins may set a file's type (PUT …/files/type); the choices come with the page's data.
const MAY_CORRECT = me.role === 'officer' || me.role === 'admin';
let typeChoices = null;
// The dossier's 补正 rounds (GET …/rounds), oldest first; the last one's diff is shown under the verdict.
let rounds = [];

async function load() {
  let dossier;
  try {
    dossier = await api('GET', base);
  } catch (error) {
    return showError(main, error);
  }
  while (dossier.status === 'queued' || dossier.status === 'processing') {
    main.replaceChildren(h('section', { class: 'card' }, h('h1', null, dossier.input.name), progressBar(dossier.progress.percent, dossier.progress.message)));
    await sleep(800);
    dossier = await api('GET', base);
  }
  if (dossier.status === 'failed') {
    return main.replaceChildren(h('section', { class: 'card' }, h('h1', null, dossier.input.name), h('div', { class: 'alert', 'data-testid': 'verdict' }, dossier.error?.code === 'DOSSIER_UNCHECKABLE' ? dossier.error.message : `检查失败：${dossier.error?.message ?? ''}`)));
  }
  const [report, checklist, webhook, choices, roundList] = await Promise.all([
    api('GET', `${base}/report`),
    api('GET', `/api/v1/checklists/${dossier.city}`),
    dossier.callbackUrl ? api('GET', `${base}/webhook`).catch(() => null) : null,
    MAY_CORRECT ? api('GET', `${base}/files/type`).catch(() => null) : null,
    api('GET', `${base}/rounds`).catch(() => ({ rounds: [] })),
  ]);
  typeChoices = choices;
  rounds = roundList.rounds;
  render(dossier, report, checklist, webhook);
}

function render(dossier, report, checklist, webhook, notice) {
  const missing = report.requirements.filter((r) => r.status === 'missing' || r.status === 'unreadable');
  const confirm = report.requirements.filter((r) => r.status === 'needs_confirmation');
  const satisfied = report.requirements.filter((r) => r.status === 'satisfied');
  const notApplicable = report.requirements.filter((r) => r.status === 'not_applicable');
  const s = report.summary;
  const project = report.fields.projectName?.value;
  const formFacts = checklist.facts[report.stage];
  const factByName = new Map([...checklist.facts.filing, ...checklist.facts.acceptance].map((f) => [f.name, f]));
  const fileIndex = new Map(report.files.map((f, i) => [f.path, i]));
  const fileLink = (path) => (fileIndex.has(path) ? h('a', { href: `${base}/files/${fileIndex.get(path)}`, target: '_blank', rel: 'noopener', class: 'file-link' }, path) : path);
  // Evidence opens where it is: a quote links to the evidence viewer, which shows the cited page with the quote marked.
  const viewHref = (i, page, quote) => `${base}/files/${i}/view?${new URLSearchParams({ ...(page ? { page: String(page) } : {}), q: quote.slice(0, 500) })}`;
  fileLink.quote = (path, page, quote, n) =>
    path && fileIndex.has(path)
      ? h('a', { href: viewHref(fileIndex.get(path), page, quote), target: '_blank', rel: 'noopener', class: 'quote-link', title: page ? `在原文件第 ${page} 页查看引文` : '在原文件中查看引文' }, h('q', null, clip(quote, n)))
      : h('q', null, clip(quote, n));

  const recheck = async (facts, button, where) => {
    button.disabled = true;
    try {
      const result = await api('POST', `${base}/recheck`, { facts });
      if (!result.report) {
        where.replaceChildren(h('div', { class: 'notice' }, '已重新排队检查…'));
        return load();
      }
      const names = Object.keys(facts).map((n) => factByName.get(n)?.label ?? n).join('、');
      render(result.dossier, result.report, checklist, webhook, `已按新声明的事实（${names}）重新检查，无需重新提取文件。`);
    } catch (error) {
      showError(where, error);
      button.disabled = false;
    }
  };

  // One click: the officer's type for one file (or back to the classifier's), saved with who and when, then re-checked.
  const correctType = async (path, docType, button, where) => {
    button.disabled = true;
    try {
      const result = docType === AUTO ? await api('DELETE', `${base}/files/type?path=${encodeURIComponent(path)}`) : await api('PUT', `${base}/files/type`, { path, docType });
      if (!result.report) {
        where.replaceChildren(h('div', { class: 'notice' }, '已重新排队检查…'));
        return load();
      }
      const name = docType === AUTO ? '自动识别的类型' : (typeName(docType) ?? docType);
      render(result.dossier, result.report, checklist, webhook, `已将“${path}”改为${name}，并已重新检查（无需重新提取文件）。`);
      document.querySelector(`[data-type-path="${CSS.escape(path)}"]`)?.focus();
    } catch (error) {
      showError(where, error);
      button.disabled = false;
    }
  };

  // An officer's page starts for a bound file (PUT …/files/pages), or back to the automatic split (DELETE), re-checked at once.
  const resegment = async (path, starts, button, where, what) => {
    button.disabled = true;
    try {
      const result = starts === null
        ? await api('DELETE', `${base}/files/pages?path=${encodeURIComponent(path)}`)
        : await api('PUT', `${base}/files/pages`, { path, starts });
      if (!result.report) {
        where.replaceChildren(h('div', { class: 'notice' }, '已重新排队检查…'));
        return load();
      }
      render(result.dossier, result.report, checklist, webhook, `已${what}，并已重新检查（无需重新提取文件）。`);
      document.querySelector(`[data-segments-path="${CSS.escape(path)}"]`)?.focus();
    } catch (error) {
      showError(where, error);
      button.disabled = false;
    }
  };

  // One control per fact: the 需确认 rows point to it, the derived value starts in it with its source beside it.
  const entries = factEntries({ formFacts, factByName, confirm, declared: dossier.facts, reportFacts: report.facts });
  const confirmItems = confirm.map((r) =>
    h(
      'div',
      { class: 'item confirm', 'data-row': r.id },
      requirementHead(r),
      basis(r),
      r.message ? h('div', null, `说明：${r.message}`) : null,
      h('div', { class: 'declare' }, '请在下方“项目事实”中填写：', r.unknownFacts.map((name, i) => [i > 0 ? '、' : '', h('a', { href: `#fact-${name}`, class: 'to-fact', 'data-to-fact': name, onclick: (event) => focusFact(event, name) }, factByName.get(name)?.label ?? '该事实')])),
    ),
  );
  const factControls = entries.map((entry) => {
    const { element, read } = factControl(entry.fact, entry.value);
    element.dataset.origin = entry.origin;
    element.querySelector('label')?.after(' ', h('small', { class: 'id' }, entry.fact.name));
    if (entry.origin === 'declared') element.append(h('div', { class: 'fact-source declared' }, '已声明'));
    if (entry.origin === 'derived') element.append(h('div', { class: 'fact-source derived' }, entry.source));
    if (entry.rows.length) element.append(h('div', { class: 'hint' }, `需确认：${entry.rows.map((row) => row.title).join('；')}`));
    return { name: entry.fact.name, element, read };
  });
  const factsMessage = h('div', { 'aria-live': 'polite' });
  const factsButton = h('button', { type: 'submit', id: 'recheck-facts' }, '按这些事实重新检查');
  const factsForm = h(
    'form',
    {
      class: 'facts-form',
      'aria-labelledby': 'facts-title',
      onsubmit: (event) => {
        event.preventDefault();
        const values = new Map(factControls.map((c) => [c.name, c.read()]));
        const facts = factChanges(entries, (name) => values.get(name));
        if (Object.keys(facts).length === 0) return showError(factsMessage, '事实没有变化');
        return recheck(facts, factsButton, factsMessage);
      },
    },
    h('div', { class: 'facts' }, factControls.map((c) => c.element)),
    h('div', { class: 'actions' }, factsButton),
    factsMessage,
  );

  const sections = [
    h(
      'section',
      { class: 'card summary' },
      h('h1', null, `材料完整性检查报告${project ? `：${project}` : ''}`),
      notice ? h('div', { class: 'notice', 'data-testid': 'recheck-notice' }, notice) : null,
      h('div', { class: `verdict ${VERDICT_TONE[report.verdict.outcome] ?? 'bad'}`, 'data-testid': 'verdict' }, report.verdict.text),
      report.cityMismatch
        ? h(
            'div',
            { class: 'alert city-mismatch', role: 'alert', 'data-testid': 'city-mismatch' },
            h('strong', null, report.cityMismatch.message),
            h('ul', null, report.cityMismatch.evidence.map((e) => h('li', null, fileLink(e.path), e.page ? ` 第 ${e.page} 页：` : '：', fileLink.quote(e.path, e.page, e.quote, 60)))),
          )
        : null,
      h('p', { class: 'meta' }, `适用办法：${report.checklist.regulation ?? report.checklist.name}（${report.cityName}）｜阶段：${STAGE_LABEL[report.stage]}${report.filingStep ? `（${report.filingStep === 'plan' ? '计划申报' : '立项审批'}步骤）` : ''}｜材料：${dossier.input.name}｜检查时间：${formatTime(report.generatedAt)}`),
      h(
        'ul',
        { class: 'counts' },
        h('li', { class: 'c-missing' }, h('b', null, s.missing + s.unreadable), ' 项缺失或无法读取'),
        h('li', { class: 'c-confirm' }, h('b', null, s.needsConfirmation), ' 项需确认'),
        h('li', { class: 'c-ok' }, h('b', null, s.satisfied), ' 项已提交'),
        h('li', null, h('b', null, s.notApplicable), ' 项不适用'),
        h('li', null, h('b', null, s.files), ` 个文件（OCR ${s.ocrPages} 页）`),
      ),
      (dossier.clocks ?? []).map((c) => h('p', { class: `clock ${c.state}`, 'data-testid': 'clock' }, `办理时限（${c.title}，${c.article}）：${c.text}`, c.notes.length ? h('span', { class: 'muted' }, `（${c.notes.join('；')}）`) : null)),
      h('div', { class: 'actions' }, h('a', { href: `${base}/report?format=html`, target: '_blank' }, '打印版（HTML）'), h('a', { href: `${base}/report?format=md` }, 'Markdown'), h('a', { href: `${base}/report?format=json` }, 'JSON'), shareButton(), shareButton(true)),
    ),
    roundSection(rounds.at(-1)),
    h('section', { class: 'card', id: 'missing' }, h('h2', null, `缺失材料（${missing.length}）`), missing.length ? missing.map((r) => h('div', { class: `item ${r.severity === 'warning' ? 'warning' : ''}`, 'data-row': r.id }, requirementHead(r), basis(r), r.whatToSubmit ? h('div', { class: 'submit' }, `应提交：${r.whatToSubmit}`) : null, r.message ? h('div', { class: 'muted' }, r.message) : null)) : h('p', null, '无。')),
    h('section', { class: 'card', id: 'confirm' }, h('h2', null, `需确认事项（${confirm.length}）`), confirm.length ? confirmItems : h('p', null, '无。')),
    h(
      'section',
      { class: 'card', id: 'facts' },
      h('h2', { id: 'facts-title' }, '项目事实'),
      entries.length === 0
        ? h('p', { class: 'muted' }, '本地区本阶段的要求不依赖项目事实。')
        : [h('p', { class: 'muted' }, '下列事实决定哪些材料必须提交。从材料中读出的值已填入，并注明出处；声明或修改后可直接重新检查（不重新提取文件），声明的事实随本材料保存。'), factsForm],
    ),
    h('section', { class: 'card', id: 'findings' }, h('h2', null, `其他问题（${report.findings.length}）`), report.findings.length ? findingsTable(report.findings, fileLink, checklist.findingLabels) : h('p', null, '无。')),
    h('section', { class: 'card', id: 'files' }, h('h2', null, `文件清单（${report.files.length}）`), typeChoices ? h('p', { class: 'muted' }, '识别有误时可在“人工指定类型”一栏改正，保存后立即重新检查（不重新提取文件）。') : null, filesTable(report, fileLink, (path, docType, button, where) => correctType(path, docType, button, where))),
    segmentsSection(report, dossier, fileLink, resegment),
    sealsSection(report, fileLink),
    h(
      'section',
      { class: 'card', id: 'satisfied' },
      h('h2', null, `已提交材料（${satisfied.length}）`),
      h('table', null, h('thead', null, h('tr', null, ['编号', '材料', '依据条款', '文件'].map((t) => h('th', null, t)))), h('tbody', null, satisfied.map((r) => h('tr', null, h('td', null, r.id), h('td', null, r.title), h('td', null, r.basis.article), h('td', null, r.evidence.filter((e) => e.path).slice(0, 2).map((e) => h('div', null, fileLink(e.path), e.pageRange ? `，${pageRange(e.pageRange.first, e.pageRange.last)}` : '', e.page && !(e.pageRange && e.pageRange.first === e.page) ? ` 第${e.page}页` : '', e.via === 'section' ? '（章节）' : ''))))))),
      notApplicable.length ? h('p', { class: 'muted' }, `不适用：${notApplicable.map((r) => `${r.id} ${r.title}`).join('；')}`) : null,
    ),
    supplementSection(report),
    MAY_CORRECT ? noticeSection(report) : null,
    webhook && webhook.state !== 'none' ? webhookSection(webhook) : null,
  ];
  // replaceChildren would print a null as the text "null".
  main.replaceChildren(...sections.filter(Boolean));
}

/** 第 N 轮补正: what the latest round changed against the one before (rows, findings, files). */
function roundSection(round) {
  if (!round || round.n < 2 || !round.diff) return null;
  const d = round.diff;
  const rows = (label, list, cls) => (list.length ? h('div', { class: `round-line ${cls}` }, h('b', null, `${label}（${list.length}）：`), list.map((r) => `${r.id} ${r.title}`).join('；')) : null);
  const files = (label, list) => (list.length ? h('div', { class: 'round-line' }, h('b', null, `${label}：`), list.join('、')) : null);
  const changed = d.newlySatisfied.length + d.newlyMissing.length + d.newFindings.length + d.resolvedFindings.length + d.files.added.length + d.files.replaced.length + d.files.withdrawn.length;
  return h(
    'section',
    { class: 'card round', id: 'round', 'data-testid': 'round-diff', tabindex: -1 },
    h('h2', null, `第 ${round.n} 轮补正`),
    h('p', { class: 'meta' }, `${formatTime(round.at)}，${round.by}提交｜上一轮结论：${d.verdictBefore}｜本轮结论：${d.verdictAfter}`),
    files('新增文件', d.files.added),
    files('替换文件', d.files.replaced),
    files('撤回文件', d.files.withdrawn),
    rows('新满足', d.newlySatisfied, 'c-ok'),
    rows('新缺少', d.newlyMissing, 'c-missing'),
    rows('仍缺少', d.stillMissing, 'c-missing'),
    d.newFindings.length ? h('div', { class: 'round-line c-missing' }, h('b', null, `新发现的问题（${d.newFindings.length}）：`), d.newFindings.map((f) => f.message).join('；')) : null,
    d.resolvedFindings.length ? h('div', { class: 'round-line c-ok' }, h('b', null, `已解决的问题（${d.resolvedFindings.length}）：`), d.resolvedFindings.map((f) => f.message).join('；')) : null,
    changed === 0 ? h('p', { class: 'muted' }, '与上一轮相比没有变化。') : null,
    rounds.length > 1
      ? h('p', { class: 'muted' }, '各轮报告：', rounds.map((r) => h('a', { href: `${base}/rounds/${r.n}/report?format=html`, target: '_blank', class: 'round-link' }, `第 ${r.n} 轮`)))
      : null,
  );
}

/**
 * 补正: pick files to add (one named like a file already there replaces it) and files to withdraw, send them as the
 * next round, watch the upload and the check, then the page shows the new report with what changed.
 */
function supplementSection(report) {
  const input = h('input', { type: 'file', id: 'supplement-files', multiple: true });
  const message = h('div', { 'aria-live': 'polite', id: 'supplement-status' });
  const withdraw = report.files.map((f, i) => {
    const id = `withdraw-${i}`;
    return h('label', { for: id, class: 'withdraw' }, h('input', { type: 'checkbox', id, value: f.path, 'data-withdraw': f.path }), ` ${f.path}`);
  });
  const button = h(
    'button',
    {
      type: 'button',
      id: 'submit-round',
      onclick: async () => {
        const data = new FormData();
        for (const file of input.files) data.append('file', file, file.name);
        const paths = withdraw.map((l) => l.querySelector('input')).filter((c) => c.checked).map((c) => c.value);
        for (const path of paths) data.append('withdraw', path);
        if (input.files.length === 0 && paths.length === 0) return showError(message, '请选择要补充或替换的文件，或勾选要撤回的文件');
        button.disabled = true;
        try {
          message.replaceChildren(progressBar(0, '正在上传…'));
          const created = await uploadForm(`${base}/rounds`, data, (loaded, total) => message.replaceChildren(progressBar((loaded / total) * 100, `正在上传 ${formatBytes(loaded)} / ${formatBytes(total)}`)));
          message.replaceChildren(progressBar(5, `第 ${created.round.n} 轮补正已收到，正在检查…`));
          await load();
          document.getElementById('round')?.focus();
        } catch (error) {
          showError(message, error);
          button.disabled = false;
        }
      },
    },
    '提交补正',
  );
  return h(
    'section',
    { class: 'card', id: 'supplement' },
    h('h2', null, '补正材料'),
    h('p', { class: 'muted' }, '补充缺少的文件，或替换、撤回已有文件，作为新一轮重新检查；只读取新文件。与已有文件同名的文件将替换它。'),
    h('div', { class: 'field' }, h('label', { for: 'supplement-files' }, '选择补充或替换的文件'), input),
    report.files.length ? h('details', null, h('summary', null, '撤回文件'), h('div', { class: 'withdraw-list' }, withdraw)) : null,
    h('div', { class: 'actions' }, button),
    message,
  );
}

/** A question's link takes the keyboard to its fact's control, not only the view. */
function focusFact(event, name) {
  const target = document.getElementById(`fact-${name}`);
  if (!target) return;
  event.preventDefault();
  target.scrollIntoView({ block: 'center' });
  (target.matches('input, select') ? target : target.querySelector('input, select'))?.focus();
}

function requirementHead(r) {
  return h('div', { class: 'item-head' }, h('b', null, `${r.id} ${r.title}`), h('span', { class: `tag ${r.status}` }, STATUS_LABEL[r.status]), h('span', { class: `tag ${r.severity}` }, SEVERITY_LABEL[r.severity]));
}

function basis(r) {
  const quote = r.basis.quoteNormalised ?? r.basis.quote;
  return h('div', { class: 'basis' }, `依据：${r.basis.article}`, quote ? h('q', null, clip(quote, 160)) : null);
}

/** 印章: each seal's crop beside the text read from it, so the officer checks the machine's reading at a glance. */
function sealsSection(report, fileLink) {
  const seals = report.files.flatMap((f) => (f.seals ?? []).map((seal) => ({ path: f.path, seal })));
  if (seals.length === 0) return null;
  const shapes = { round: '圆形', oval: '椭圆形', square: '方形' };
  const crop = (seal) =>
    seal.crop && seal.crop.startsWith('data:image/png;base64,') ? h('img', { src: seal.crop, alt: '印章图像', width: 96, height: 96, class: 'seal-crop' }) : '—';
  const note = (seal) =>
    seal.electronic
      ? [seal.source === 'ofd-signature' ? 'OFD 电子签章' : 'PDF 数字签名', seal.signer ? `签名人：${seal.signer}` : '', '仅读取，未验证签名']
      : [
          `${shapes[seal.shape] ?? ''}${seal.star ? '（有五角星）' : ''}印章`,
          seal.sure ? '' : '可能是印章（边框不完整或颜色较淡）',
          seal.cutAtEdge ? '骑缝章（仅部分在本页，文字未识别）' : '',
          seal.rimText && seal.rimConfidence !== undefined ? `识别置信度 ${seal.rimConfidence}` : '',
        ];
  return h(
    'section',
    { class: 'card', id: 'seals' },
    h('h2', null, `印章（${seals.length}）`),
    h('p', { class: 'muted' }, '机器识别的印章文字，请对照印章图像核对。'),
    h(
      'table',
      null,
      h('thead', null, h('tr', null, ['印章', '识别文字', '文件', '说明'].map((t) => h('th', null, t)))),
      h(
        'tbody',
        null,
        seals.map(({ path, seal }) =>
          h(
            'tr',
            null,
            h('td', null, crop(seal)),
            h('td', null, seal.electronic ? (seal.name ?? seal.signer ?? '（未命名）') : (seal.rimText ?? '（文字未识别）'), seal.centreText ? [h('br'), seal.centreText] : null),
            h('td', null, fileLink(path), seal.page ? ` 第${seal.page}页` : ''),
            h('td', null, note(seal).filter(Boolean).join('；')),
          ),
        ),
      ),
    ),
  );
}

function pageRange(first, last) {
  return first === last ? `第 ${first} 页` : `第 ${first}–${last} 页`;
}

/** What a segment is, in the report's words: 竣工验收报告（标题「…」）. */
function segmentWhat(s) {
  const what = s.role === 'front-matter' ? '封面、目录等' : s.role === 'blank' ? '空白页' : s.docTypes.map((d) => d.name).join('、') || '未能识别';
  const why = [SEGMENT_BOUNDARY_LABEL[s.boundary] ?? '', s.titleLine && s.role === 'document' ? `「${clip(s.titleLine, 40)}」` : ''].filter(Boolean).join('');
  const notes = [why, s.needsReview ? '需人工查看' : '', s.duplicateOf ? `与 ${s.duplicateOf} 相同，只计一次` : '', s.partlyReadPages?.length ? `${s.partlyReadPages.length} 页仅识别页眉页脚用于分段` : ''];
  return `${what}（${notes.filter(Boolean).join('；')}）`;
}

/**
 * The page starts the API takes for a file's current segments: a leading 封面、目录 stays in front of the first
 * start; a blank sheet joins the document before it.
 */
function currentStarts(segments) {
  return segments.filter((s, i) => !(i === 0 && s.role === 'front-matter') && s.role !== 'blank').map((s) => s.firstPage);
}

/** Segment i joined to the one before it; the merged document starts where the earlier one did. */
function mergedStarts(segments, i) {
  const starts = new Set(currentStarts(segments));
  starts.delete(segments[i].firstPage);
  if (i === 1 && segments[0].role === 'front-matter') starts.add(segments[0].firstPage);
  return [...starts].sort((a, b) => a - b);
}

function splitStarts(segments, page, pageCount) {
  const starts = new Set(currentStarts(segments));
  if (starts.size === 0) starts.add(1);
  starts.add(page);
  return [...starts].filter((n) => n <= pageCount).sort((a, b) => a - b);
}

/**
 * 合订文件的分段: each file bound of several documents with its segments (第 a–b 页：类型（依据）); an officer merges a
 * segment into the one before it or splits one at a page, or withdraws the change. A file the officer merged into one
 * document keeps its place here so the change can be undone. Every control is a button or labelled input.
 */
function segmentsSection(report, dossier, fileLink, resegment) {
  const officerSet = new Set((dossier.segmentations ?? []).map((s) => s.path));
  const bound = report.files.map((f, index) => ({ f, index })).filter(({ f }) => f.segments.length > 0 || officerSet.has(f.path));
  const others = MAY_CORRECT ? report.files.map((f, index) => ({ f, index })).filter(({ f }) => f.segments.length === 0 && !officerSet.has(f.path) && f.pageCount > 1 && !f.series) : [];
  if (bound.length === 0 && others.length === 0) return null;
  const splitControl = (f, index, segments, s, k) => {
    const id = `split-${index}-${k}`;
    const first = s ? s.firstPage + 1 : 2;
    const last = s ? s.lastPage : f.pageCount;
    if (last < first) return null;
    const input = h('input', { type: 'number', id, min: first, max: last, value: first, class: 'split-page', inputmode: 'numeric' });
    const message = h('span', { 'aria-live': 'polite' });
    const button = h('button', {
      type: 'button',
      class: 'split-segment',
      onclick: () => {
        const page = Number(input.value);
        if (!Number.isInteger(page) || page < first || page > last) return showError(message, `请填写第 ${first} 至 ${last} 页之间的页码`);
        return resegment(f.path, splitStarts(segments, page, f.pageCount), button, message, `将“${f.path}”${s ? pageRange(s.firstPage, s.lastPage) : ''}从第 ${page} 页起拆分`);
      },
    }, '拆分');
    input.setAttribute('aria-label', `“${f.path}”${s ? pageRange(s.firstPage, s.lastPage) : ''}从第几页起拆分`);
    return h('span', { class: 'segment-control' }, h('label', null, '从第 ', input, ' 页起拆分'), ' ', button, message);
  };
  const fileBlock = ({ f, index }) => {
    const segments = f.segments;
    const items = segments.map((s, k) => {
      const message = h('span', { 'aria-live': 'polite' });
      const merge = MAY_CORRECT && k > 0
        ? h('button', {
            type: 'button',
            class: 'merge-segment',
            'aria-label': `将${pageRange(s.firstPage, s.lastPage)}与上一份（${pageRange(segments[k - 1].firstPage, segments[k - 1].lastPage)}）合并`,
            onclick: (event) => resegment(f.path, mergedStarts(segments, k), event.currentTarget, message, `将“${f.path}”${pageRange(s.firstPage, s.lastPage)}与上一份合并`),
          }, '与上一份合并')
        : null;
      return h(
        'li',
        { 'data-segment': `${s.firstPage}-${s.lastPage}`, class: `segment ${s.role}` },
        h('span', { class: 'segment-text' }, h('b', null, `${pageRange(s.firstPage, s.lastPage)}：`), segmentWhat(s)),
        MAY_CORRECT ? h('span', { class: 'segment-actions' }, merge, splitControl(f, `${index}`, segments, s, k)) : null,
        message,
      );
    });
    const withdrawMessage = h('span', { 'aria-live': 'polite' });
    const withdraw = MAY_CORRECT && officerSet.has(f.path)
      ? h('button', { type: 'button', class: 'link reset-segments', onclick: (event) => resegment(f.path, null, event.currentTarget, withdrawMessage, `恢复“${f.path}”的自动分段`) }, '恢复自动分段')
      : null;
    return h(
      'div',
      { class: 'bound-file', 'data-segments-path': f.path, tabindex: -1 },
      h('h3', null, fileLink(f.path), h('span', { class: 'muted' }, `（共 ${f.pageCount} 页${officerSet.has(f.path) ? '，已人工调整分段' : ''}）`)),
      segments.length
        ? h('ol', { class: 'segments' }, items)
        : h('p', { class: 'muted' }, '整份文件作为一份材料。', MAY_CORRECT ? splitControl(f, `${index}`, [], null, 'whole') : null),
      withdraw,
      withdrawMessage,
    );
  };
  return h(
    'section',
    { class: 'card', id: 'segments' },
    h('h2', null, `合订文件的分段（${bound.length}）`),
    h('p', { class: 'muted' }, MAY_CORRECT ? '一个文件装订了多份材料时，按页码分段识别。分段有误时可与上一份合并或从某页起拆分，保存后立即重新检查（不重新提取文件）。' : '一个文件装订了多份材料时，按页码分段识别。'),
    bound.map(fileBlock),
    others.length
      ? h('details', { class: 'split-others' }, h('summary', null, '把其他多页文件拆分为多份材料'), others.map(({ f, index }) => h('div', { class: 'bound-file', 'data-segments-path': f.path, tabindex: -1 }, fileLink(f.path), h('span', { class: 'muted' }, `（共 ${f.pageCount} 页）`), ' ', splitControl(f, `${index}`, [], null, 'whole'))))
      : null,
  );
}

function filesTable(report, fileLink, correctType) {
  const heads = ['序号', '文件', '识别类型', '置信度', '依据（页码与原文）', '状态', ...(typeChoices ? ['人工指定类型'] : [])];
  const table = filesTableOf(report, fileLink, correctType, heads);
  // On a phone each row is a card (app.css); each cell then says what it is.
  for (const tr of table.querySelectorAll('tbody tr')) [...tr.children].forEach((td, k) => td.setAttribute('data-label', heads[k]));
  return table;
}

function filesTableOf(report, fileLink, correctType, heads) {
  return h(
    'table',
    { class: 'files' },
    h('thead', null, h('tr', null, heads.map((t) => h('th', null, t)))),
    h(
      'tbody',
      null,
      report.files.map((f, i) => {
        const top = f.docTypes[0];
        const ev = top?.evidence;
        return h(
          'tr',
          { 'data-file': i },
          h('td', null, i + 1),
          h('td', null, fileLink(f.path), f.duplicateOf ? h('div', { class: 'muted' }, `与 ${f.duplicateOf} 相同`) : null),
          h(
            'td',
            null,
            f.correction
              ? [h('div', null, f.correction.name), h('div', { class: 'tag officer', 'data-testid': 'corrected' }, '已人工指定类型'), h('div', { class: 'muted' }, `${f.correction.by}，${beijingTime(f.correction.at)}`)]
              : f.segments.length
                ? [h('div', null, `合订 ${f.segments.filter((s) => s.role === 'document').length} 份材料`), h('a', { href: '#segments', class: 'muted' }, '见“合订文件的分段”')]
              : f.docTypes.length
                ? f.docTypes.map((d) => h('div', null, d.name))
                : f.sections.length
                  ? f.sections.map((s) => h('div', null, `${s.name}（章节）`))
                  : '—',
          ),
          h('td', null, f.correction ? '—' : f.docTypes.map((d) => h('div', null, `${Math.round(d.confidence * 100)}%`))),
          h(
            'td',
            null,
            f.correction
              ? h('span', { class: 'muted' }, f.correction.classifiedAs.length ? `原识别为：${f.correction.classifiedAs.map((d) => d.name).join('、')}` : '原未识别出类型')
              : ev
                ? [h('span', { class: 'muted' }, `${RULE_LABEL[ev.rule] ?? ev.rule}${ev.page ? ` 第${ev.page}页` : ''} `), ev.quote ? fileLink.quote(f.path, ev.page, ev.quote, 80) : null]
                : (f.message ?? ''),
          ),
          h('td', null, f.status === 'ok' ? (f.ocrPages ? `正常（OCR ${f.ocrPages} 页）` : '正常') : FILE_STATUS_LABEL[f.status] ?? f.status, f.status !== 'ok' && f.message ? h('div', { class: 'muted' }, f.message) : null, f.needsReview ? h('div', { class: 'tag warning' }, '需人工查看') : null),
          typeChoices ? h('td', null, f.duplicateOf ? h('span', { class: 'muted' }, '同上（重复文件）') : typeControl(f, i, correctType)) : null,
        );
      }),
    ),
  );
}

/** The value that withdraws an officer's type and brings the classifier's answer back. */
const AUTO = '__auto__';

function typeName(id) {
  for (const g of typeChoices?.groups ?? []) for (const d of g.docTypes) if (d.id === id) return d.name;
  return undefined;
}

/**
 * The picker of one file row: a labelled select (the file's current type preselected; an unsure file's candidates
 * first, as 可能是：…) and a 保存 button; both reachable with Tab, the select changed with the arrow keys.
 */
function typeControl(f, i, correctType) {
  const id = `type-${i}`;
  const current = f.correction?.docType ?? f.docTypes[0]?.id ?? '';
  const candidates = (f.candidates ?? []).map((c) => ({ id: c.id, name: c.name ?? typeName(c.id) ?? c.id })).filter((c) => typeName(c.id));
  const option = (d, label = d.name) => h('option', { value: d.id, selected: d.id === current }, label);
  const select = h(
    'select',
    { id, 'data-type-path': f.path, class: 'type-select' },
    current === '' ? h('option', { value: '', selected: true, disabled: true }, '（未识别，请选择）') : null,
    f.correction ? h('option', { value: AUTO }, `恢复自动识别${f.correction.classifiedAs.length ? `（${f.correction.classifiedAs.map((d) => d.name).join('、')}）` : ''}`) : null,
    candidates.length ? h('optgroup', { label: '可能是' }, candidates.map((c) => h('option', { value: c.id, selected: !f.correction && c.id === current }, `可能是：${c.name}`))) : null,
    typeChoices.groups.map((g) => h('optgroup', { label: g.label }, g.docTypes.filter((d) => !candidates.some((c) => c.id === d.id)).map((d) => option(d)))),
  );
  const message = h('div');
  const button = h(
    'button',
    {
      type: 'button',
      class: 'save-type',
      'data-save-type': i,
      onclick: () => {
        if (select.value === '' || select.value === current) return showError(message, '类型没有变化');
        return correctType(f.path, select.value, button, message);
      },
    },
    '保存',
  );
  return h('div', { class: 'type-control' }, h('label', { for: id, class: 'sr-only' }, `“${f.path}”的材料类型`), select, ' ', button, message);
}

/** Times as officers read them, in Beijing time whatever the browser's zone: 2026年12月4日 17:05. */
function beijingTime(iso) {
  return new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
}

function findingsTable(findings, fileLink, labels = {}) {
  return h(
    'table',
    null,
    h('thead', null, h('tr', null, ['规则', '级别', '说明', '依据'].map((t) => h('th', null, t)))),
    h('tbody', null, findings.map((f) => h('tr', null, h('td', null, labels[f.ruleId] ? [labels[f.ruleId], ' ', h('small', { class: 'id' }, f.ruleId)] : f.ruleId, f.article ? h('div', { class: 'muted' }, f.article) : null), h('td', null, SEVERITY_LABEL[f.severity]), h('td', null, f.message), h('td', null, f.evidence.map((e) => h('div', null, e.path ? fileLink(e.path) : '', e.page ? ` 第${e.page}页` : '', e.quote ? fileLink.quote(e.path, e.page, e.quote, 80) : null)))))),
  );
}

function webhookSection(webhook) {
  const STATE = { pending: '投递中', delivered: '已送达', failed: '多次失败，已放弃', refused: '目标地址被拒绝' };
  return h(
    'section',
    { class: 'card', id: 'webhook' },
    h('h2', null, '完成回调'),
    h('p', null, `${webhook.url}：${STATE[webhook.state] ?? webhook.state}`),
    h('table', null, h('thead', null, h('tr', null, ['次数', '时间', '结果', '耗时'].map((t) => h('th', null, t)))), h('tbody', null, webhook.attempts.map((a) => h('tr', null, h('td', null, a.n), h('td', null, formatTime(a.at)), h('td', null, a.statusCode ? `HTTP ${a.statusCode}` : a.error ?? ''), h('td', null, `${a.durationMs} 毫秒`))))),
  );
}

/**
 * 一次性告知书: the officer fills in what only the office knows (发文机关, 文号, 补正期限, 经办人, 联系电话) and downloads
 * the notice as Word or PDF; every notice made is listed with its link.
 */
function noticeSection(report) {
  const field = (name, label, attrs = {}) => {
    const id = `notice-${name}`;
    return h('label', { for: id }, label, h('input', { id, name, ...attrs }));
  };
  const form = h(
    'form',
    { class: 'notice-form', 'data-testid': 'notice-form' },
    field('issuer', '发文机关', { placeholder: '如：常德市数据资源管理局', maxlength: 60 }),
    field('docNumber', '文号', { placeholder: '如：常数据补〔2026〕7号', maxlength: 40 }),
    field('deadline', '补正期限', { type: 'date' }),
    field('officer', '经办人', { maxlength: 20 }),
    field('contact', '联系电话', { maxlength: 40 }),
    field('uploadUrl', '补正上传链接（可选）', { type: 'url', placeholder: 'https://…' }),
  );
  const list = h('ul', { class: 'notices', 'data-testid': 'notices' });
  const message = h('div', { 'aria-live': 'polite' });
  const refresh = async () => {
    const { notices } = await api('GET', `${base}/notices`);
    list.replaceChildren(...notices.map((n) => h('li', null, h('a', { href: n.links.download }, n.fileName), h('span', { class: 'muted' }, ` ${formatTime(n.createdAt)}，${n.createdBy}${n.docNumber ? `，${n.docNumber}` : ''}`))));
  };
  const make = (format) =>
    h('button', {
      type: 'button',
      onclick: async (event) => {
        const button = event.currentTarget;
        const body = { format };
        for (const [name, value] of new FormData(form)) if (String(value).trim() !== '') body[name] = String(value).trim();
        button.disabled = true;
        try {
          const { notice } = await api('POST', `${base}/notices`, body);
          message.replaceChildren(h('div', { class: 'notice' }, '已生成：', h('a', { href: notice.links.download, 'data-testid': 'notice-download' }, notice.fileName)));
          await refresh();
        } catch (error) {
          showError(message, error);
        } finally {
          button.disabled = false;
        }
      },
    }, format === 'docx' ? '生成 Word 告知书' : '生成 PDF 告知书');
  refresh().catch((error) => showError(message, error));
  const gaps = report.verdict?.mustSupply ?? 0;
  return h(
    'section',
    { class: 'card', id: 'notice' },
    h('h2', null, '一次性告知书'),
    h('p', { class: 'muted' }, gaps > 0 ? `按公文格式列出 ${gaps} 项必须补正的材料、建议补充的材料和需说明的情况，可打印盖章后交建设单位。` : '材料齐全时也可生成告知书，告知审核情况。'),
    form,
    h('div', { class: 'actions' }, make('docx'), make('pdf')),
    message,
    list,
  );
}

function shareButton(allowSupplement = false) {
  const out = h('span', { class: 'share' });
  const button = h('button', {
    type: 'button',
    class: 'link',
    onclick: async () => {
      try {
        const link = await api('POST', `${base}/share`, allowSupplement ? { allowSupplement: true } : {});
        out.replaceChildren(h('input', { readonly: true, value: link.url, size: 50, onclick: (e) => e.target.select() }), h('span', { class: 'muted' }, ` 有效至 ${formatTime(link.expiresAt)}`));
      } catch (error) {
        showError(out, error);
      }
    },
  }, allowSupplement ? '生成补正上传链接' : '生成分享链接');
  out.append(button);
  return out;
}

function clip(text, n) {
  // OCR leaves spaces where a line broke inside a Chinese word (测试报 告); only Latin words keep theirs.
  const flat = String(text).replace(/\s+/g, ' ').replace(/(?<=[\u3000-\u9fff\uff00-\uffef]) (?=[\u3000-\u9fff\uff00-\uffef])/g, '').trim();
  return flat.length > n ? `${flat.slice(0, n)}…` : flat;
}

await load();
