import { CITY_LABEL, api, DOSSIER_STATUS, factControl, formatBytes, formatTime, h, progressBar, showError, sleep, STAGE_LABEL, start, uploadForm } from './common.js';

// Upload page: jurisdiction and stage, exactly the facts that jurisdiction's rows read, an archive or a folder,
// then a progress bar until the report is ready.

const me = await start('index.html');
const main = document.querySelector('main');
const { checklists } = await api('GET', '/api/v1/checklists');

let picked = []; // [{ file, path }]
let factReaders = [];

const citySelect = h(
  'select',
  { id: 'city', name: 'city', required: true, disabled: me.role === 'officer' },
  h('option', { value: '' }, '请选择地区'),
  checklists.map((c) => h('option', { value: c.id, selected: me.jurisdiction === c.id }, `${c.name}　${c.regulation ?? ''}`)),
);
const stageRadios = ['filing', 'acceptance'].map((s) => h('label', { class: 'check' }, h('input', { type: 'radio', name: 'stage', value: s, required: true }), STAGE_LABEL[s]));
const factsBox = h('div', { id: 'facts', class: 'facts' }, h('p', { class: 'muted' }, '选择地区和阶段后，这里列出该地区办法需要的项目事实。'));
const archiveInput = h('input', { type: 'file', id: 'archive', accept: '.zip,.7z,.rar,.pdf,.ofd,.docx,.doc,.wps,.xlsx,.xls,.et,.pptx,.ppt,.dps,.txt,.jpg,.jpeg,.png,.tif,.tiff,.bmp,.gif,.webp' });
const folderInput = h('input', { type: 'file', id: 'folder', multiple: true, webkitdirectory: true });
const pickedBox = h('div', { id: 'picked', class: 'muted' }, '尚未选择文件');
const callbackInput = h('input', { type: 'url', id: 'callbackUrl', placeholder: 'https://…（可选：检查完成后通知贵单位系统）', size: 60 });
const statusBox = h('div', { id: 'status', 'aria-live': 'polite' });
const submitButton = h('button', { type: 'submit', id: 'submit' }, '上传并检查');

const drop = h(
  'div',
  {
    class: 'drop',
    id: 'drop',
    ondragover: (e) => {
      e.preventDefault();
      drop.classList.add('over');
    },
    ondragleave: () => drop.classList.remove('over'),
    ondrop: async (e) => {
      e.preventDefault();
      drop.classList.remove('over');
      const entries = [...e.dataTransfer.items].map((i) => i.webkitGetAsEntry?.()).filter(Boolean);
      const files = [];
      for (const entry of entries) await walkEntry(entry, '', files);
      setPicked(files);
    },
  },
  h('div', null, '把压缩包或整个文件夹拖到这里，或'),
  h('div', { class: 'pickers' }, h('label', { class: 'button-like' }, '选择压缩包', archiveInput), h('label', { class: 'button-like' }, '选择文件夹', folderInput)),
  pickedBox,
);

archiveInput.addEventListener('change', () => setPicked([...archiveInput.files].map((file) => ({ file, path: file.name }))));
folderInput.addEventListener('change', () => setPicked([...folderInput.files].map((file) => ({ file, path: file.webkitRelativePath || file.name }))));

function setPicked(files) {
  picked = files.filter((f) => !/(^|\/)(\.DS_Store|Thumbs\.db|desktop\.ini)$/i.test(f.path));
  const total = picked.reduce((n, f) => n + f.file.size, 0);
  pickedBox.replaceChildren(picked.length === 0 ? '尚未选择文件' : picked.length === 1 ? `已选择：${picked[0].path}（${formatBytes(total)}）` : `已选择文件夹：${picked.length} 个文件，共 ${formatBytes(total)}`);
}

async function walkEntry(entry, prefix, out) {
  if (entry.isFile) {
    const file = await new Promise((res, rej) => entry.file(res, rej));
    out.push({ file, path: prefix + entry.name });
  } else if (entry.isDirectory) {
    const reader = entry.createReader();
    for (;;) {
      const batch = await new Promise((res, rej) => reader.readEntries(res, rej));
      if (batch.length === 0) break;
      for (const child of batch) await walkEntry(child, `${prefix}${entry.name}/`, out);
    }
  }
}

async function showFacts() {
  const city = citySelect.value;
  const stage = stageRadios.map((l) => l.querySelector('input')).find((i) => i.checked)?.value;
  factReaders = [];
  if (!city || !stage) return;
  const checklist = await api('GET', `/api/v1/checklists/${city}`);
  const facts = checklist.facts[stage];
  if (facts.length === 0) {
    factsBox.replaceChildren(h('p', { class: 'muted' }, `${checklist.name}的${STAGE_LABEL[stage]}要求不依赖项目事实，无需填写。`));
    return;
  }
  const controls = facts.map((f) => factControl(f));
  factReaders = facts.map((f, i) => [f.name, controls[i].read]);
  factsBox.replaceChildren(h('p', { class: 'muted' }, `${checklist.name}办法中，以下事实决定哪些材料必须提交（可只填知道的）：`), ...controls.map((c) => c.element));
}
citySelect.addEventListener('change', showFacts);
for (const l of stageRadios) l.querySelector('input').addEventListener('change', showFacts);

const form = h(
  'form',
  { id: 'upload-form', class: 'card', onsubmit: submit },
  h('h1', null, '上传材料'),
  h('div', { class: 'field' }, h('label', { for: 'city' }, '适用地区（管理办法）'), citySelect),
  h('div', { class: 'field' }, h('span', { class: 'label' }, '材料阶段'), h('div', { class: 'checks' }, stageRadios)),
  h('fieldset', null, h('legend', null, '项目事实'), factsBox),
  h('fieldset', null, h('legend', null, '材料'), drop),
  h('details', null, h('summary', null, '高级：完成回调'), h('div', { class: 'field' }, h('label', { for: 'callbackUrl' }, '回调地址'), callbackInput, h('div', { class: 'hint' }, '检查完成后向该地址发送带 HMAC-SHA256 签名的 POST（见 API 文档）。'))),
  h('div', { class: 'actions' }, submitButton),
  statusBox,
);
const recent = h('section', { class: 'card', id: 'recent' });
main.replaceChildren(form, recent);
if (me.jurisdiction) await showFacts();
void listRecent();

async function submit(event) {
  event.preventDefault();
  const city = citySelect.value;
  const stage = stageRadios.map((l) => l.querySelector('input')).find((i) => i.checked)?.value;
  if (!city || !stage) return showError(statusBox, '请选择地区和阶段');
  if (picked.length === 0) return showError(statusBox, '请选择一个压缩包或一个文件夹');
  const facts = {};
  for (const [name, read] of factReaders) {
    const value = read();
    if (value !== undefined) facts[name] = value;
  }
  const data = new FormData();
  data.append('city', city);
  data.append('stage', stage);
  data.append('facts', JSON.stringify(facts));
  if (callbackInput.value.trim()) data.append('callbackUrl', callbackInput.value.trim());
  for (const { file, path } of picked) data.append('file', file, path);
  submitButton.disabled = true;
  try {
    statusBox.replaceChildren(progressBar(0, '正在上传…'));
    // The progress shows where the officer looks, on a phone too, without scrolling down to it.
    statusBox.scrollIntoView({ block: 'center', behavior: 'instant' });
    const created = await uploadForm('/api/v1/dossiers', data, (loaded, total) => statusBox.replaceChildren(progressBar((loaded / total) * 100, `正在上传 ${formatBytes(loaded)} / ${formatBytes(total)}`)));
    for (;;) {
      const dossier = await api('GET', created.statusUrl);
      if (dossier.status === 'done') break;
      if (dossier.status === 'failed') throw new Error(dossier.error?.message ?? '检查失败');
      statusBox.replaceChildren(progressBar(dossier.progress.percent, `检查中：${dossier.progress.message}`));
      await sleep(700);
    }
    statusBox.replaceChildren(progressBar(100, '检查完成，正在打开报告…'));
    location.href = created.uiUrl;
  } catch (error) {
    showError(statusBox, error);
    submitButton.disabled = false;
  }
}

async function listRecent() {
  const { dossiers } = await api('GET', '/api/v1/dossiers?limit=20');
  if (dossiers.length === 0) {
    recent.replaceChildren(h('h2', null, '最近的材料'), h('p', { class: 'muted' }, '还没有上传过材料。'));
    return;
  }
  recent.replaceChildren(
    h('h2', null, '最近的材料'),
    h(
      'table',
      null,
      h('thead', null, h('tr', null, ['上传时间', '材料', '项目', '地区', '阶段', '状态', '结论'].map((t) => h('th', null, t)))),
      h(
        'tbody',
        null,
        dossiers.map((d) =>
          h(
            'tr',
            null,
            h('td', null, formatTime(d.createdAt)),
            h('td', null, h('a', { href: d.links.ui }, d.input.name)),
            h('td', null, d.result?.projectName ?? ''),
            h('td', null, CITY_LABEL[d.city] ?? d.city),
            h('td', null, STAGE_LABEL[d.stage]),
            h('td', null, d.status === 'processing' ? `${DOSSIER_STATUS[d.status]} ${d.progress.percent}%` : DOSSIER_STATUS[d.status]),
            h('td', null, d.result ? (d.result.verdict ?? (d.result.complete ? '材料齐全' : `需补正（缺 ${d.result.summary.missing + d.result.summary.unreadable} 项）`)) : d.status === 'failed' ? (d.error?.message ?? '') : ''),
          ),
        ),
      ),
    ),
  );
}
