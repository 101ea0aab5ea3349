/**
 * Every error the API answers with, in one registry (as fastify's lib/errors.js): a stable code that clients match
 * on, the HTTP status, and a Chinese message that people read. docs/api.md lists every code; a test keeps the two
 * in step. Codes never change meaning; wording may improve.
 */
export const API_ERRORS = {
  AUTH_REQUIRED: { status: 401, message: '需要登录：请在 Authorization 头中提供访问令牌（Bearer）' },
  AUTH_INVALID: { status: 401, message: '访问令牌无效、已过期或已吊销' },
  FORBIDDEN: { status: 403, message: '当前角色无权执行此操作' },
  CSRF_HEADER_MISSING: { status: 403, message: '通过浏览器会话修改数据时须带 X-Dossier-UI 请求头' },
  NOT_FOUND: { status: 404, message: '请求的地址不存在' },
  DOSSIER_NOT_FOUND: { status: 404, message: '材料不存在，或无权查看' },
  BATCH_NOT_FOUND: { status: 404, message: '批次不存在，或无权查看' },
  CHECKLIST_NOT_FOUND: { status: 404, message: '没有这个地区的检查清单' },
  FILE_NOT_FOUND: { status: 404, message: '材料中没有这个编号的文件，或该文件无法读取' },
  TOKEN_NOT_FOUND: { status: 404, message: '访问令牌不存在' },
  NOTICE_NOT_FOUND: { status: 404, message: '没有这份一次性告知书' },
  ROUND_NOT_FOUND: { status: 404, message: '没有这一轮补正，或这一轮尚未检查完毕' },
  SHARE_LINK_INVALID: { status: 404, message: '分享链接无效或已过期' },
  SHARE_LINK_NOT_FOUND: { status: 404, message: '分享链接不存在，或无权管理' },
  REPORT_NOT_READY: { status: 409, message: '材料尚未检查完毕，报告还没有生成' },
  DOSSIER_FAILED: { status: 409, message: '材料检查失败，没有报告' },
  DOSSIER_BUSY: { status: 409, message: '材料正在检查中，请稍后再试' },
  INVALID_PARAMETER: { status: 400, message: '路径或查询参数不合规（不允许“..”、斜杠、控制字符等）' },
  VALIDATION_FAILED: { status: 400, message: '请求内容不符合要求' },
  INVALID_JSON: { status: 400, message: '请求体不是有效的 JSON' },
  MALFORMED_REQUEST: { status: 400, message: '请求不符合 HTTP 格式' },
  MULTIPART_BOUNDARY_MISSING: { status: 400, message: 'multipart/form-data 请求的 Content-Type 缺少 boundary 参数' },
  INVALID_FILE_PATH: { status: 400, message: '上传文件的路径不合规（不允许“..”、绝对路径、反斜杠或控制字符）' },
  UPLOAD_EMPTY: { status: 400, message: '没有收到任何文件' },
  UPLOAD_INCOMPLETE: { status: 400, message: '上传未完成：连接中断或数据不完整' },
  FACTS_SHEET_INVALID: { status: 400, message: '项目事实表无法读取或填写有误' },
  UNKNOWN_FACT: { status: 400, message: '未知的项目事实，或事实的取值不符合要求' },
  UNKNOWN_DOC_TYPE: { status: 400, message: '未知的材料类型' },
  UNKNOWN_DOSSIER_FILE: { status: 400, message: '材料中没有文件' },
  CALLBACK_URL_REFUSED: { status: 400, message: '回调地址不被接受：只允许 http(s) 公网地址（内网、本机地址默认拒绝）' },
  OFFICER_OUT_OF_JURISDICTION: { status: 403, message: '审核人员只能提交本辖区的材料' },
  UPLOAD_TOO_LARGE: { status: 413, message: '上传的文件超过大小上限' },
  UPLOAD_TOO_MANY_FILES: { status: 413, message: '上传的文件或字段数量超过上限' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: '不支持的请求内容类型' },
  NOT_ACCEPTABLE: { status: 406, message: '不支持请求的响应格式' },
  REQUEST_TIMEOUT: { status: 408, message: '请求未在规定时间内发送完毕' },
  URI_TOO_LONG: { status: 414, message: '请求地址过长' },
  HEADERS_TOO_LARGE: { status: 431, message: '请求头过大' },
  RATE_LIMITED: { status: 429, message: '请求过于频繁，请稍后再试' },
  STORAGE_UNAVAILABLE: { status: 503, message: '存储暂时不可用，请稍后重试' },
  NOT_READY: { status: 503, message: '服务尚未就绪' },
  INTERNAL: { status: 500, message: '服务器内部错误' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ApiErrorCode = keyof typeof API_ERRORS;

/** An answer the API gives on purpose. `detail` adds what exactly was wrong, in Chinese. */
export class ApiError extends Error {
  readonly statusCode: number;

  constructor(
    readonly code: ApiErrorCode,
    readonly detail?: string,
    readonly extra?: Record<string, unknown>,
  ) {
    super(detail ? `${API_ERRORS[code].message}：${detail}` : API_ERRORS[code].message);
    this.name = 'ApiError';
    this.statusCode = API_ERRORS[code].status;
  }
}

/** The body of every error response. */
export interface ErrorBody {
  error: { code: ApiErrorCode; message: string; detail?: string } & Record<string, unknown>;
  requestId?: string;
}

export function errorBody(error: ApiError, requestId?: string): ErrorBody {
  return { error: { code: error.code, message: error.message, ...(error.detail ? { detail: error.detail } : {}), ...error.extra }, requestId };
}
