import { api, h, showError, STAGE_LABEL, start } from './common.js';

// Checklist page: what a jurisdiction requires, row by row with its article, for units preparing a dossier.

await start('checklists.html');
const main = document.querySelector('main');
const { checklists } = await api('GET', '/api/v1/checklists');
const params = new URLSearchParams(location.search);

const citySelect = h('select', { id: 'city' }, checklists.map((c) => h('option', { value: c.id, selected: params.get('city') === c.id }, c.name)));
const stageSelect = h('select', { id: 'stage' }, Object.entries(STAGE_LABEL).map(([v, l]) => h('option', { value: v, selected: params.get('stage') === v }, l)));
const body = h('div', { id: 'checklist' });
main.replaceChildren(h('section', { class: 'card' }, h('h1', null, '检查清单'), h('p', { class: 'muted' }, '各地区管理办法要求提交的材料。每一项都注明依据条款，供申报单位准备材料时对照。'), h('div', { class: 'row' }, h('div', { class: 'field' }, h('label', { for: 'city' }, '地区'), citySelect), h('div', { class: 'field' }, h('label', { for: 'stage' }, '阶段'), stageSelect))), body);

async function show() {
  history.replaceState(null, '', `?city=${citySelect.value}&stage=${stageSelect.value}`);
  try {
    const c = await api('GET', `/api/v1/checklists/${citySelect.value}?stage=${stageSelect.value}`);
    const facts = c.facts[stageSelect.value];
    body.replaceChildren(
      h(
        'section',
        { class: 'card' },
        h('h2', null, `${c.name}：${c.regulation}${c.documentNumber ? `（${c.documentNumber}）` : ''}`),
        h('p', { class: 'muted' }, `主管部门：${c.agencies.map((a) => `${a.name}（${a.role}）`).join('；')}`),
        facts.length ? h('div', { class: 'notice' }, '以下事实决定部分材料是否必须提交：', facts.map((f) => h('span', { class: 'derived-fact' }, f.label))) : null,
        h(
          'table',
          { id: 'rows' },
          h('thead', null, h('tr', null, ['编号', '材料', '应提交', '何时需要', '缺失为', '依据条款'].map((t) => h('th', null, t)))),
          h(
            'tbody',
            null,
            c.rows.map((r) =>
              h(
                'tr',
                null,
                h('td', null, r.id, r.stepLabel ? h('div', { class: 'muted' }, r.stepLabel) : null),
                h('td', null, r.title, h('div', { class: 'muted' }, r.docTypes.map((d) => d.name).join(' / '))),
                h('td', null, r.submit, r.note ? h('div', { class: 'muted' }, r.note) : null),
                h('td', null, r.condition, r.notApplicableWhen ? h('div', { class: 'muted' }, `可声明不适用：${r.notApplicableWhen}`) : null),
                h('td', null, h('span', { class: `tag ${r.severity}` }, r.severity === 'error' ? '错误' : '警告'), h('div', { class: 'muted' }, r.basis)),
                h('td', null, r.article, h('div', null, h('q', null, r.quote))),
              ),
            ),
          ),
        ),
      ),
    );
  } catch (error) {
    showError(body, error);
  }
}
citySelect.addEventListener('change', show);
stageSelect.addEventListener('change', show);
await show();
