// Shared by every page: sign-in, the API helper, DOM building. Plain browser JavaScript, no build step.
// Text from the server is only ever inserted as text (never as HTML), so a file name cannot inject markup.

// The labels come from the server (pipeline/report/labels.ts), the same ones the reports use.
export { STAGE_LABEL, STATUS_LABEL, SEVERITY_LABEL, DOSSIER_STATUS, CITY_LABEL, RULE_LABEL, FILE_STATUS_LABEL, SEGMENT_BOUNDARY_LABEL } from './labels.js';
import { CITY_LABEL } from './labels.js';

/** h('a', { href: x, class: 'y' }, 'text', child) → element; attributes starting with "on" become listeners. */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') el.addEventListener(name.slice(2), value);
    else if (name === 'dataset') Object.assign(el.dataset, value);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export class ApiFailure extends Error {
  constructor(status, body) {
    super(body?.error?.message ?? `请求失败（${status}）`);
    this.status = status;
    this.code = body?.error?.code;
  }
}

/** JSON API call with the session cookie; the X-Dossier-UI header is what the server asks of cookie-borne changes. */
export async function api(method, url, body) {
  const init = { method, credentials: 'same-origin', headers: { 'x-dossier-ui': '1', accept: 'application/json' } };
  if (body !== undefined) {
    init.headers['content-type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const response = await fetch(url, init);
  if (response.status === 204) return null;
  const data = await response.json().catch(() => null);
  if (!response.ok) throw new ApiFailure(response.status, data);
  return data;
}

/** Multipart upload with upload progress (fetch cannot report it). Resolves with the JSON answer. */
export function uploadForm(url, form, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.withCredentials = true;
    xhr.setRequestHeader('x-dossier-ui', '1');
    xhr.responseType = 'json';
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded, e.total);
    xhr.onload = () => (xhr.status >= 200 && xhr.status < 300 ? resolve(xhr.response) : reject(new ApiFailure(xhr.status, xhr.response)));
    xhr.onerror = () => reject(new Error('网络错误，上传未完成'));
    xhr.send(form);
  });
}

export function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

export function showError(where, error) {
  where.replaceChildren(h('div', { class: 'alert', role: 'alert' }, error instanceof Error ? error.message : String(error)));
}

export function progressBar(percent, text) {
  return h(
    'div',
    // A screen reader hears the text line as it changes (the bar itself is not read out on every step).
    { class: 'progress', 'data-testid': 'progress' },
    h('div', { class: 'progress-track', role: 'progressbar', 'aria-label': '检查进度', 'aria-valuenow': Math.round(percent), 'aria-valuemin': 0, 'aria-valuemax': 100 }, h('div', { class: 'progress-fill', style: `width:${Math.max(2, Math.min(100, percent))}%` })),
    h('div', { class: 'progress-text', role: 'status', 'aria-live': 'polite' }, `${Math.round(percent)}%　${text ?? ''}`),
  );
}

const NAV = [
  ['index.html', '上传材料'],
  ['batch.html', '批量预审'],
  ['checklists.html', '检查清单'],
];

/**
 * Signs in (a `#token=` in the address, or the form), draws the header, and resolves with who is signed in.
 * Pages call it first; nothing else runs until there is a session.
 */
export async function start(current) {
  const header = document.querySelector('header');
  // On a phone the links fold behind one 菜单 button (app.css hides the nav below 720 px unless the header is open).
  const menu = h('button', { type: 'button', class: 'menu-toggle', 'aria-expanded': 'false', 'aria-controls': 'site-nav', onclick: () => {
    const open = header.classList.toggle('open');
    menu.setAttribute('aria-expanded', String(open));
  } }, '菜单');
  header.replaceChildren(
    h('div', { class: 'brand' }, '电子政务项目材料完整性检查'),
    menu,
    h('nav', { id: 'site-nav', 'aria-label': '主菜单' }, NAV.map(([href, label]) => h('a', { href: `/ui/${href}`, class: href === current ? 'active' : undefined }, label)), h('a', { href: '/docs', target: '_blank' }, 'API 文档')),
    h('div', { class: 'who', id: 'who' }),
  );
  const fromHash = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  if (fromHash) {
    history.replaceState(null, '', location.pathname + location.search);
    await api('POST', '/api/v1/session', { token: decodeURIComponent(fromHash[1]) }).catch(() => undefined);
  }
  let me = await api('GET', '/api/v1/me').catch((e) => (e.status === 401 ? null : Promise.reject(e)));
  if (!me) me = await signIn();
  const roles = { admin: '管理员', officer: '审核人员', unit: '申报单位' };
  document.getElementById('who').replaceChildren(
    `${me.name}（${roles[me.role]}${me.jurisdiction ? `·${CITY_LABEL[me.jurisdiction] ?? me.jurisdiction}` : ''}${me.unit ? `·${me.unit}` : ''}）`,
    h('button', { class: 'link', type: 'button', onclick: async () => { await api('DELETE', '/api/v1/session'); location.reload(); } }, '退出'),
  );
  return me;
}

function signIn() {
  const main = document.querySelector('main');
  const saved = [...main.childNodes];
  return new Promise((resolve) => {
    const input = h('input', { type: 'password', id: 'token', autocomplete: 'off', placeholder: 'dkt_…', size: 60, required: true });
    const message = h('div');
    const form = h(
      'form',
      {
        class: 'card login',
        onsubmit: async (e) => {
          e.preventDefault();
          try {
            const me = await api('POST', '/api/v1/session', { token: input.value.trim() });
            main.replaceChildren(...saved);
            resolve(me);
          } catch (error) {
            showError(message, error);
          }
        },
      },
      h('h1', null, '登录'),
      h('p', null, '请输入管理员发给您的访问令牌。'),
      h('label', { for: 'token' }, '访问令牌'),
      input,
      h('div', { class: 'actions' }, h('button', { type: 'submit' }, '登录')),
      message,
    );
    main.replaceChildren(form);
  });
}

/** Controls for one fact of the checklist's fact list; `read()` gives the declared value or undefined. */
export function factControl(fact, current) {
  const id = `fact-${fact.name}`;
  let control;
  let read;
  const has = current !== undefined && current !== null;
  if (fact.type === 'boolean') {
    control = h('select', { id, name: fact.name, 'data-fact': fact.name }, h('option', { value: '' }, fact.derivable ? '未声明（由材料判断）' : '未声明'), h('option', { value: 'true', selected: has && current === true }, '是'), h('option', { value: 'false', selected: has && current === false }, '否'));
    read = () => (control.value === '' ? undefined : control.value === 'true');
  } else if (fact.type === 'enum') {
    control = h('select', { id, name: fact.name, 'data-fact': fact.name }, h('option', { value: '' }, fact.derivable ? '未声明（由材料判断）' : '未声明'), (fact.values ?? []).map((v) => h('option', { value: v.value, selected: has && current === v.value }, v.label)));
    read = () => (control.value === '' ? undefined : control.value);
  } else if (fact.type === 'set') {
    const boxes = (fact.values ?? []).map((v) => h('input', { type: 'checkbox', value: v.value, checked: has && Array.isArray(current) && current.includes(v.value) }));
    control = h('div', { class: 'checks', id, 'data-fact': fact.name }, (fact.values ?? []).map((v, i) => h('label', { class: 'check' }, boxes[i], v.label)));
    read = () => {
      const picked = boxes.filter((b) => b.checked).map((b) => b.value);
      return picked.length ? picked : undefined;
    };
  } else {
    const type = fact.type === 'number' || fact.type === 'integer' ? 'number' : fact.type === 'date' ? 'date' : 'text';
    control = h('input', { id, name: fact.name, type, step: fact.type === 'number' ? 'any' : undefined, value: has ? String(current) : '', 'data-fact': fact.name, placeholder: fact.derivable ? '留空则从材料中读取' : '' });
    read = () => {
      if (control.value.trim() === '') return undefined;
      return type === 'number' ? Number(control.value) : control.value.trim();
    };
  }
  const hints = [fact.unit ? `单位：${fact.unit}` : '', fact.askable ? '办法未作规定，须由主管部门或申报单位确认' : '', fact.derivable ? '可留空，由系统从材料推导' : ''].filter(Boolean).join('；');
  const element = h('div', { class: 'field fact' }, h('label', { for: id }, fact.label), h('div', { class: 'question' }, fact.question), control, hints ? h('div', { class: 'hint' }, hints) : null);
  return { element, read };
}

export function formatBytes(n) {
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(1)} GB`;
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(0)} KB`;
  return `${n} 字节`;
}

/** Times as officers read them, in Beijing time whatever the browser's zone: 2026年12月4日 17:05. */
export function formatTime(iso) {
  return iso ? new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }) : '';
}
