import type { FastifyRequest } from 'fastify';
import { API_ERRORS, type ApiError } from './errors.ts';

/**
 * Issue 15: a person who opens an address in a browser (an expired share link, a dossier that is gone, a server
 * failure) gets a page in Chinese that says what happened and where to go next, not the API's JSON. Programs, which
 * do not ask for text/html, keep the JSON body.
 */

/** A browser navigating: GET or HEAD asking for HTML before JSON. fetch() from our pages sends `*\/*`. */
export function wantsHtml(request: FastifyRequest): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  const accept = String(request.headers.accept ?? '').toLowerCase();
  const html = accept.indexOf('text/html');
  if (html < 0) return false;
  const json = accept.indexOf('application/json');
  return json < 0 || html < json;
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** What the person can do next, by what went wrong. */
function wayForward(error: ApiError): { advice: string; links: Array<[string, string]> } {
  const home: [string, string] = ['/ui/index.html', '返回首页（上传材料）'];
  const list: [string, string] = ['/ui/index.html#recent', '查看最近的材料'];
  switch (error.code) {
    case 'SHARE_LINK_INVALID':
      return { advice: '分享链接可能已过期、已被撤销或复制不完整。请联系发送链接的单位重新生成分享链接；如有账号，也可登录后直接查看报告。', links: [home] };
    case 'DOSSIER_NOT_FOUND':
    case 'FILE_NOT_FOUND':
    case 'ROUND_NOT_FOUND':
    case 'NOTICE_NOT_FOUND':
      return { advice: '这份材料可能已被删除，或您当前的账号无权查看。请从材料列表重新打开，或换用有权限的账号登录。', links: [list, home] };
    case 'AUTH_REQUIRED':
    case 'AUTH_INVALID':
      return { advice: '请先使用访问链接或令牌登录，再打开这个地址。', links: [home] };
    default:
      break;
  }
  if (error.statusCode >= 500) return { advice: '这是服务器的问题，不是您的操作有误。请稍后刷新页面重试；如仍失败，请把下方的请求编号告诉系统管理员。', links: [home] };
  if (error.statusCode === 404) return { advice: '地址可能输入有误，或页面已经移动。', links: [home] };
  return { advice: '请返回上一页检查后重试。', links: [home] };
}

export function errorPage(error: ApiError, requestId?: string): string {
  const { advice, links } = wayForward(error);
  // The API's words for a missing token name the header a program sends; a person is simply asked to sign in.
  const title = error.code === 'AUTH_REQUIRED' ? '需要登录' : API_ERRORS[error.code].message;
  // The detail is shown where it helps a person (a refused value); a 404's detail is only the address asked for.
  const detail = error.statusCode !== 404 && error.statusCode < 500 && error.detail ? `<p class="detail">${escape(error.detail)}</p>` : '';
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)} - 电子政务项目材料完整性检查</title>
<style>
body{font-family:"Microsoft YaHei","PingFang SC","Noto Sans CJK SC",sans-serif;margin:0;background:#f5f7fa;color:#222;line-height:1.7}
header{background:#1f4e8c;color:#fff;padding:12px 20px;font-weight:bold}
main{max-width:640px;margin:32px auto;padding:0 16px}
.card{background:#fff;border:1px solid #dde3ea;border-radius:6px;padding:20px 24px}
h1{font-size:20px;margin:0 0 8px;color:#8a1c1c}
.detail{background:#fdecea;border-radius:4px;padding:6px 10px}
.links a{display:inline-block;margin:8px 16px 0 0;color:#1f4e8c}
small.id{color:#767676}
</style>
</head>
<body>
<header>电子政务项目材料完整性检查</header>
<main>
<div class="card" role="alert">
<h1>${escape(title)}</h1>
${detail}
<p>${escape(advice)}</p>
<p class="links">${links.map(([href, text]) => `<a href="${href}">${escape(text)}</a>`).join('')}</p>
${requestId ? `<p><small class="id">请求编号 ${escape(requestId)}</small></p>` : ''}
</div>
</main>
</body>
</html>
`;
}
