import { CITY_LABEL, api, DOSSIER_STATUS, formatBytes, h, progressBar, showError, sleep, STAGE_LABEL, start, uploadForm } from './common.js';

// Batch page: many archives (or one zip of zips) against one jurisdiction; progress; a sortable summary table
// with CSV/XLSX export.

const me = await start('batch.html');
const main = document.querySelector('main');
const { checklists } = await api('GET', '/api/v1/checklists');

const citySelect = h('select', { id: 'city', required: true, disabled: me.role === 'officer' }, h('option', { value: '' }, '请选择地区'), checklists.map((c) => h('option', { value: c.id, selected: me.jurisdiction === c.id }, c.name)));
const stageSelect = h('select', { id: 'stage', required: true }, h('option', { value: '' }, '请选择阶段'), Object.entries(STAGE_LABEL).map(([v, l]) => h('option', { value: v }, l)));
const filesInput = h('input', { type: 'file', id: 'archives', multiple: true, accept: '.zip,.7z,.rar', required: true });
const sheetInput = h('input', { type: 'file', id: 'facts-sheet', accept: '.xlsx,.xls,.csv', 'aria-describedby': 'facts-sheet-help' });
const templateLinks = h('span', { id: 'facts-template' });
// The inputs sit inside Chinese button-like labels (as on the upload page): Chromium's own "Choose Files / No file
// chosen" is English whatever the page's language. What was picked is said beside the button instead.
const filesPicked = h('span', { id: 'archives-picked', class: 'muted', 'aria-live': 'polite' }, '尚未选择文件');
const sheetPicked = h('span', { id: 'facts-sheet-picked', class: 'muted', 'aria-live': 'polite' }, '尚未选择文件');
const pickedText = (files) => (files.length === 0 ? '尚未选择文件' : `已选择 ${files.length} 个：${[...files].map((f) => f.name).join('、')}`);
filesInput.addEventListener('change', () => filesPicked.replaceChildren(pickedText(filesInput.files)));
sheetInput.addEventListener('change', () => sheetPicked.replaceChildren(pickedText(sheetInput.files)));

// The template lists the archives picked so far, so each row is already named; it asks what the chosen city and stage ask.
function refreshTemplateLinks() {
  if (!citySelect.value || !stageSelect.value) {
    templateLinks.replaceChildren('选择地区和阶段后可下载模板。');
    return;
  }
  const query = new URLSearchParams({ stage: stageSelect.value });
  for (const f of filesInput.files) query.append('dossier', f.name);
  const base = `/api/v1/checklists/${encodeURIComponent(citySelect.value)}/facts-sheet?${query}`;
  templateLinks.replaceChildren(
    '下载模板：',
    h('a', { href: `${base}&format=xlsx`, id: 'facts-template-xlsx', download: '' }, 'Excel（XLSX）'),
    '　',
    h('a', { href: `${base}&format=csv`, id: 'facts-template-csv', download: '' }, 'CSV'),
    filesInput.files.length ? `（已列出 ${filesInput.files.length} 个压缩包）` : '（先选压缩包，模板会列出它们）',
  );
}
for (const control of [citySelect, stageSelect, filesInput]) control.addEventListener('change', refreshTemplateLinks);
refreshTemplateLinks();
const status = h('div', { id: 'status' });
const table = h('section', { class: 'card', id: 'table' });
const button = h('button', { type: 'submit' }, '上传并检查');

const form = h(
  'form',
  {
    class: 'card',
    onsubmit: async (e) => {
      e.preventDefault();
      if (!citySelect.value || !stageSelect.value || filesInput.files.length === 0) return showError(status, '请选择地区、阶段和压缩包');
      const data = new FormData();
      data.append('city', citySelect.value);
      data.append('stage', stageSelect.value);
      for (const f of filesInput.files) data.append('file', f, f.name);
      if (sheetInput.files.length) data.append('factsSheet', sheetInput.files[0], sheetInput.files[0].name);
      button.disabled = true;
      try {
        const batch = await uploadForm('/api/v1/batches', data, (loaded, total) => status.replaceChildren(progressBar((loaded / total) * 100, `正在上传 ${formatBytes(loaded)} / ${formatBytes(total)}`)));
        history.replaceState(null, '', `?id=${batch.id}`);
        await follow(batch.id);
      } catch (error) {
        showError(status, error);
      } finally {
        button.disabled = false;
      }
    },
  },
  h('h1', null, '批量预审'),
  h('p', { class: 'muted' }, '一次上传多份材料：每个压缩包一份材料；也可以上传一个包含多个压缩包（或多个文件夹）的压缩包。'),
  h('div', { class: 'row' }, h('div', { class: 'field' }, h('label', { for: 'city' }, '地区'), citySelect), h('div', { class: 'field' }, h('label', { for: 'stage' }, '阶段'), stageSelect)),
  h('div', { class: 'field' }, h('label', { for: 'archives' }, '压缩包（可多选）'), h('div', { class: 'pickers' }, h('label', { class: 'button-like' }, '选择压缩包', filesInput), filesPicked)),
  h(
    'div',
    { class: 'field' },
    h('label', { for: 'facts-sheet' }, '项目事实表（可选）'),
    h('div', { class: 'pickers' }, h('label', { class: 'button-like' }, '选择事实表', sheetInput), sheetPicked),
    h('p', { class: 'muted', id: 'facts-sheet-help' }, '每份材料包一行，填写机关已确认的项目事实（如是否重大项目、总投资），每份材料按自己那一行检查；不确定的留空。', templateLinks),
  ),
  h('div', { class: 'actions' }, button),
  status,
);
main.replaceChildren(form, table);

const COLUMNS = [
  ['dossier', '材料包'],
  ['projectName', '项目名称'],
  ['constructionUnit', '建设单位'],
  ['totalInvestmentWan', '总投资（万元）'],
  ['verdict', '结论'],
  ['missingCount', '缺失'],
  ['needsConfirmationCount', '需确认'],
  ['errors', '错误'],
  ['warnings', '警告'],
];
// How each column wraps (app.css): numbers never, names and the verdict with room, lists with more.
const CELL_KIND = { dossier: 'text', projectName: 'text', constructionUnit: 'text', verdict: 'verdict-cell text' };
let sortKey = null;
let sortAsc = true;
let lastBatch = null;

function verdictOf(r) {
  if (r.status === 'queued' || r.status === 'processing') return `${DOSSIER_STATUS[r.status]} ${r.percent}%`;
  if (r.cityMismatch) return `${r.cityMismatch}；${r.verdict || (r.complete ? '材料齐全' : '需补正')}`;
  if (r.verdict) return r.verdict;
  if (r.failure) return `无法检查（${r.failure}）`;
  return r.complete ? '材料齐全' : '需补正';
}

function renderTable(batch) {
  lastBatch = batch;
  const rows = batch.rows.map((r, i) => ({ ...r, order: i, verdict: verdictOf(r), missingCount: r.missing.length, needsConfirmationCount: r.needsConfirmation.length }));
  if (sortKey) {
    rows.sort((a, b) => {
      const x = a[sortKey] ?? '';
      const y = b[sortKey] ?? '';
      const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), 'zh-CN');
      return sortAsc ? c : -c;
    });
  }
  table.replaceChildren(
    h('h2', null, `汇总（${batch.finished}/${batch.total} 份已完成，${STAGE_LABEL[batch.stage]}，${CITY_LABEL[batch.city] ?? batch.city}）`),
    progressBar((batch.finished / Math.max(1, batch.total)) * 100, batch.status === 'done' ? '全部完成' : '检查中…'),
    h('div', { class: 'actions' }, h('a', { href: batch.links.csv, id: 'export-csv' }, '导出 CSV'), h('a', { href: batch.links.xlsx, id: 'export-xlsx' }, '导出 Excel（XLSX）')),
    h(
      'table',
      { class: 'sortable files', id: 'summary' },
      h('thead', null, h('tr', null, h('th', null, '序号'), COLUMNS.map(([key, label]) => h('th', { class: 'sort', 'data-key': key, onclick: () => { sortAsc = sortKey === key ? !sortAsc : true; sortKey = key; renderTable(lastBatch); } }, label, sortKey === key ? (sortAsc ? ' ▲' : ' ▼') : '')), h('th', null, '缺失材料'), h('th', null, '报告'))),
      h(
        'tbody',
        null,
        rows.map((r, i) =>
          h(
            'tr',
            { class: r.failure ? 'fail' : r.status !== 'done' ? 'running' : r.complete ? 'ok' : 'bad' },
            h('td', { class: 'num', 'data-label': '序号' }, i + 1),
            COLUMNS.map(([key, label]) => h('td', { class: CELL_KIND[key] ?? 'num', 'data-label': label }, r[key] ?? '')),
            h('td', { class: 'long', 'data-label': '缺失材料' }, r.missing.join('；')),
            h('td', { class: 'num', 'data-label': '报告' }, r.status === 'done' ? h('a', { href: `/ui/report.html?id=${r.dossierId}` }, '查看') : ''),
          ),
        ),
      ),
    ),
  );
}

async function follow(id) {
  for (;;) {
    const batch = await api('GET', `/api/v1/batches/${encodeURIComponent(id)}`);
    status.replaceChildren();
    renderTable(batch);
    if (batch.status === 'done') return;
    await sleep(1500);
  }
}

const existing = new URLSearchParams(location.search).get('id');
if (existing) await follow(existing).catch((error) => showError(table, error));
