import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { InvalidKeyError, StorageError } from '../storage/index.ts';
import { errorPage, wantsHtml } from './error-page.ts';
import { ApiError, errorBody } from './errors.ts';

/**
 * Every failure, wherever it surfaces (a route, the router, the HTTP parser, a plugin with its own error handler),
 * becomes one entry of the registry and the one documented body `{"error":{"code","message"}}`.
 */

/** Every failure becomes one entry of the registry. */
export function toApiError(error: FastifyError & { validationContext?: string }): ApiError {
  if (error instanceof ApiError) return error;
  if (error.code === 'FST_ERR_VALIDATION' || error.validation || error.validationContext) {
    const where = error.validationContext;
    if (where === 'params' || where === 'querystring') return new ApiError('INVALID_PARAMETER', error.message);
    return new ApiError('VALIDATION_FAILED', error.message);
  }
  if (error instanceof InvalidKeyError) return new ApiError('INVALID_PARAMETER', error.reason);
  if (error instanceof StorageError) return error.retryable ? new ApiError('STORAGE_UNAVAILABLE', error.message) : new ApiError('INTERNAL', error.message);
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ApiError('UNSUPPORTED_MEDIA_TYPE', `不支持 ${String(error.message).slice(0, 80)}；JSON 接口请用 application/json，上传请用 multipart/form-data`);
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new ApiError('INVALID_JSON', '请求体为空');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new ApiError('INVALID_JSON');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ApiError('UPLOAD_TOO_LARGE', '请求体超过 1 MB（上传文件请用 multipart/form-data）');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new ApiError('UPLOAD_INCOMPLETE', 'Content-Length 与实际长度不符');
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return new ApiError('URI_TOO_LONG', '路径中的某一段过长');
    case 'FST_ERR_BAD_URL':
      return new ApiError('INVALID_PARAMETER', '地址的编码无效');
    default:
      break;
  }
  // busboy's words when the Content-Type says multipart but names no boundary; every upload route reads through it.
  if (/^Multipart: Boundary not found/i.test(String(error.message))) {
    return new ApiError('MULTIPART_BOUNDARY_MISSING', '请让 HTTP 客户端自动生成 Content-Type（如 curl -F），不要手写 multipart/form-data');
  }
  if (error instanceof SyntaxError && error.statusCode === 400) return new ApiError('INVALID_JSON');
  const status = error.statusCode ?? 500;
  if (status === 429) return new ApiError('RATE_LIMITED');
  if (status === 413) return new ApiError('UPLOAD_TOO_LARGE');
  if (status === 415) return new ApiError('UNSUPPORTED_MEDIA_TYPE');
  if (status === 414) return new ApiError('URI_TOO_LONG');
  if (status === 406) return new ApiError('NOT_ACCEPTABLE');
  if (status === 404) return new ApiError('NOT_FOUND');
  if (status >= 400 && status < 500) return new ApiError('VALIDATION_FAILED', error.message);
  return new ApiError('INTERNAL');
}

/** The error handler of the app, and of the router's own failures (fastify `frameworkErrors`). */
export function replyWithError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const apiError = toApiError(error);
  if (apiError.statusCode >= 500) request.log.error({ err: error }, 'request failed');
  else request.log.info({ code: apiError.code, detail: apiError.detail }, 'request refused');
  // An upload refused part-way: do not read the rest of a body that may be gigabytes long.
  if (apiError.statusCode === 413) reply.header('connection', 'close');
  reply.header('vary', 'Accept');
  if (wantsHtml(request)) {
    // A share link cut short when copied fails the token's format; to its reader it is simply an invalid link.
    const shown = apiError.code === 'INVALID_PARAMETER' && request.url.startsWith('/s/') ? new ApiError('SHARE_LINK_INVALID') : apiError;
    return reply.code(apiError.statusCode).type('text/html; charset=utf-8').send(errorPage(shown, request.id));
  }
  return reply.code(apiError.statusCode).type('application/json; charset=utf-8').send(JSON.stringify(errorBody(apiError, request.id)));
}

/**
 * Node's HTTP parser refuses a request before fastify sees it (headers over 16 KB, a request line that is not HTTP,
 * a request too slow to arrive); fastify's default answer there has its own body shape. This one answers from the
 * registry, then closes the connection as Node does.
 */
export function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const apiError =
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? new ApiError('REQUEST_TIMEOUT')
      : error.code === 'HPE_HEADER_OVERFLOW'
        ? new ApiError('HEADERS_TOO_LARGE', '请求地址与请求头合计不能超过 16 KB')
        : new ApiError('MALFORMED_REQUEST');
  const body = JSON.stringify(errorBody(apiError));
  if (socket.writable) {
    const status = apiError.statusCode;
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json; charset=utf-8\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}
