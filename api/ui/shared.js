import { api, formatBytes, formatTime, h, progressBar, showError, sleep, uploadForm } from './common.js';

// The page a share link made for 补正 opens (/s/<token>): no account. It shows where the check stands, what the
// latest round changed, the report itself, and lets whoever holds the link send files as the next round.

const main = document.querySelector('main');
document.querySelector('header').replaceChildren(h('div', { class: 'brand' }, '电子政务项目材料完整性检查'));
const token = location.pathname.split('/').filter(Boolean)[1] ?? '';
const base = `/api/v1/shared/${encodeURIComponent(token)}`;

async function load() {
  let state;
  try {
    state = await api('GET', `${base}/rounds`);
    while (state.status === 'queued' || state.status === 'processing') {
      main.replaceChildren(h('section', { class: 'card' }, h('h1', null, '正在检查'), progressBar(50, state.message)));
      await sleep(800);
      state = await api('GET', `${base}/rounds`);
    }
  } catch (error) {
    return showError(main, error);
  }
  const last = state.rounds.at(-1);
  const d = last?.diff;
  main.replaceChildren(
    ...[
      h('section', { class: 'card summary' }, h('h1', null, '材料完整性检查报告'), h('div', { class: 'verdict', 'data-testid': 'verdict' }, last?.verdict ?? state.message)),
      d
        ? h(
            'section',
            { class: 'card round', id: 'round', 'data-testid': 'round-diff', tabindex: -1 },
            h('h2', null, `第 ${last.n} 轮补正`),
            h('p', { class: 'meta' }, `${formatTime(last.at)}｜上一轮结论：${d.verdictBefore}｜本轮结论：${d.verdictAfter}`),
            d.files.added.length ? h('div', { class: 'round-line' }, h('b', null, '新增文件：'), d.files.added.join('、')) : null,
            d.files.replaced.length ? h('div', { class: 'round-line' }, h('b', null, '替换文件：'), d.files.replaced.join('、')) : null,
            d.newlySatisfied.length ? h('div', { class: 'round-line c-ok' }, h('b', null, `新满足（${d.newlySatisfied.length}）：`), d.newlySatisfied.map((r) => `${r.id} ${r.title}`).join('；')) : null,
            d.stillMissing.length ? h('div', { class: 'round-line c-missing' }, h('b', null, `仍缺少（${d.stillMissing.length}）：`), d.stillMissing.map((r) => `${r.id} ${r.title}`).join('；')) : null,
          )
        : null,
      state.allowSupplement ? uploadSection() : null,
      h('section', { class: 'card' }, h('h2', null, '报告'), h('iframe', { src: `${base}/report?format=html`, title: '完整性检查报告', class: 'shared-report' })),
    ].filter(Boolean),
  );
}

function uploadSection() {
  const input = h('input', { type: 'file', id: 'supplement-files', multiple: true });
  const message = h('div', { 'aria-live': 'polite' });
  const button = h(
    'button',
    {
      type: 'button',
      id: 'submit-round',
      onclick: async () => {
        if (input.files.length === 0) return showError(message, '请选择要补充或替换的文件');
        const data = new FormData();
        for (const file of input.files) data.append('file', file, file.name);
        button.disabled = true;
        try {
          await uploadForm(`${base}/rounds`, data, (loaded, total) => message.replaceChildren(progressBar((loaded / total) * 100, `正在上传 ${formatBytes(loaded)} / ${formatBytes(total)}`)));
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
    h('p', { class: 'muted' }, '补充缺少的文件，或上传与已有文件同名的文件以替换它；提交后重新检查。'),
    h('div', { class: 'field' }, h('label', { for: 'supplement-files' }, '选择补充或替换的文件'), input),
    h('div', { class: 'actions' }, button),
    message,
  );
}

await load();
