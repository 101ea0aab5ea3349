import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyRequest } from 'fastify';
import helmet from '@fastify/helmet';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { z } from 'zod';
import { InvalidKeyError, StorageError } from '../storage/index.ts';
import { authHook } from './auth/authenticate.ts';
import type { AppContext } from './context.ts';
import { API_ERRORS, ApiError, errorBody } from './errors.ts';
import { swaggerTransform, useZod } from './openapi.ts';
import { registerAuthRoutes } from './routes/auth.ts';
import { registerBatchRoutes } from './routes/batches.ts';
import { registerChecklistRoutes } from './routes/checklists.ts';
import { registerDossierRoutes } from './routes/dossiers.ts';
import { registerPublicRoutes } from './routes/public.ts';
import { registerQueueDashboard } from './routes/queue-dashboard.ts';

// Validation messages reach people: zod's own wording in Chinese, where a schema does not give its own.
z.config(z.locales.zhCN());

export interface BuildAppOptions {
  /** pino options, or false for silence (tests). Default: JSON lines at config.logLevel. */
  logger?: boolean | Record<string, unknown>;
  /** A logger made beforehand (the server shares it with the processor and the webhook sender). */
  loggerInstance?: FastifyBaseLogger;
}

/**
 * The HTTP server with every route; does not listen. The fixed order: security headers → rate limit → auth (per
 * route) → body parsing → zod validation → handler → one error handler that answers from the error registry.
 */
export async function buildApp(ctx: AppContext, options: BuildAppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    ...(options.loggerInstance ? { loggerInstance: options.loggerInstance } : {}),
    logger: options.loggerInstance
      ? undefined
      : options.logger === false
        ? false
        : {
            level: ctx.config.logLevel,
            // Tokens travel in these headers; they must never reach a log file.
            redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
            ...(typeof options.logger === 'object' ? options.logger : {}),
          },
    trustProxy: ctx.config.trustProxy,
    // Multipart bodies are streamed; this bounds JSON bodies only.
    bodyLimit: 1024 * 1024,
    requestIdHeader: false,
    routerOptions: { maxParamLength: 200 },
  });
  useZod(app);

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'self'"],
        frameSrc: ["'self'"],
        frameAncestors: ["'self'"],
        formAction: ["'self'"],
        upgradeInsecureRequests: null,
      },
    },
    // Opening a PDF in a new tab from the report is the point; COEP would block nothing useful and break that.
    crossOriginEmbedderPolicy: false,
    hsts: false,
  });

  if (ctx.config.rateLimit.max > 0) {
    await app.register(rateLimit, {
      max: ctx.config.rateLimit.max,
      timeWindow: 60_000,
      errorResponseBuilder: (_request, context) => {
        const error = new ApiError('RATE_LIMITED', `每分钟最多 ${context.max} 次，请 ${Math.ceil(context.ttl / 1000)} 秒后再试`);
        return Object.assign(error, { statusCode: 429 });
      },
    });
  }

  await app.register(multipart, {
    // Busboy must keep the folder part of names ("材料/立项/a.pdf"): picked folders need their structure.
    preservePath: true,
    limits: {
      fileSize: ctx.config.maxUploadBytes,
      files: ctx.config.maxUploadFiles,
      fields: 100,
      fieldSize: 256 * 1024,
      parts: ctx.config.maxUploadFiles + 100,
      headerPairs: 200,
    },
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: '电子政务项目材料完整性检查 API',
        version: '1.0.0',
        description:
          '上传立项/验收材料，按地区管理办法检查是否齐全。认证：Authorization: Bearer <访问令牌>。错误统一为 {"error":{"code","message"}}，错误码见 docs/api.md。',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
      tags: [
        { name: 'dossiers', description: '材料：上传、进度、报告、文件、重新核对' },
        { name: 'batches', description: '批量预审' },
        { name: 'checklists', description: '地区检查清单' },
        { name: 'share', description: '分享链接（无需令牌）' },
        { name: 'auth', description: '令牌与网页会话' },
        { name: 'ops', description: '健康与就绪' },
      ],
    },
    transform: swaggerTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: false, uiConfig: { docExpansion: 'list', deepLinking: true } });

  app.addHook('onRequest', refuseDotSegments);
  app.addHook('onRequest', authHook(ctx));

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const apiError = toApiError(error);
    if (apiError.statusCode >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: apiError.code, detail: apiError.detail }, 'request refused');
    // An upload refused part-way: do not read the rest of a body that may be gigabytes long.
    if (apiError.statusCode === 413) reply.header('connection', 'close');
    return reply.code(apiError.statusCode).type('application/json; charset=utf-8').send(JSON.stringify(errorBody(apiError, request.id)));
  });
  app.setNotFoundHandler((request, reply) => {
    const error = new ApiError('NOT_FOUND', `${request.method} ${request.url.split('?')[0]!.slice(0, 200)}`);
    return reply.code(404).type('application/json; charset=utf-8').send(JSON.stringify(errorBody(error, request.id)));
  });

  registerPublicRoutes(app, ctx);
  registerAuthRoutes(app, ctx);
  registerChecklistRoutes(app);
  registerDossierRoutes(app, ctx);
  registerBatchRoutes(app, ctx);
  await registerQueueDashboard(app, ctx);
  return app;
}

/**
 * A `..` segment in the path (raw or percent-encoded, with / or \\) is refused before routing: no route has a
 * reason to see one, and refusing it here covers parameters and unmatched paths alike.
 */
async function refuseDotSegments(request: FastifyRequest): Promise<void> {
  const path = (request.raw.url ?? '').split('?')[0]!;
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    throw new ApiError('INVALID_PARAMETER', '地址的百分号编码无效');
  }
  if (/(^|[/\\])\.\.($|[/\\])/.test(decoded) || decoded.includes('\u0000')) throw new ApiError('INVALID_PARAMETER', '地址中不允许“..”路径段或空字符');
}

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
    default:
      break;
  }
  if (error instanceof SyntaxError && error.statusCode === 400) return new ApiError('INVALID_JSON');
  const status = error.statusCode ?? 500;
  if (status === 429) return new ApiError('RATE_LIMITED');
  if (status === 413) return new ApiError('UPLOAD_TOO_LARGE');
  if (status === 415) return new ApiError('UNSUPPORTED_MEDIA_TYPE');
  if (status === 406) return new ApiError('NOT_ACCEPTABLE');
  if (status === 404) return new ApiError('NOT_FOUND');
  if (status >= 400 && status < 500) return new ApiError('VALIDATION_FAILED', error.message);
  return new ApiError('INTERNAL');
}

export { API_ERRORS };
