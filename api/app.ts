import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyRequest, type onRequestHookHandler } from 'fastify';
import helmet from '@fastify/helmet';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { errorPage, wantsHtml } from './error-page.ts';
import { z } from 'zod';
import { authHook } from './auth/authenticate.ts';
import type { AppContext } from './context.ts';
import { answerClientError, replyWithError, toApiError } from './error-mapping.ts';
import { API_ERRORS, ApiError, errorBody } from './errors.ts';
import { swaggerTransform, useZod } from './openapi.ts';
import { registerAuthRoutes } from './routes/auth.ts';
import { registerBatchRoutes } from './routes/batches.ts';
import { registerChecklistRoutes } from './routes/checklists.ts';
import { registerDossierRoutes } from './routes/dossiers.ts';
import { registerPublicRoutes } from './routes/public.ts';
import { registerQueueDashboard } from './routes/queue-dashboard.ts';
import { registerTypeCorrectionRoutes } from './routes/type-corrections.ts';
import { registerSegmentationRoutes } from './routes/segmentations.ts';
import { registerNoticeRoutes } from './routes/notices.ts';
import { registerAuditRoutes } from './routes/audit.ts';
import { registerDecisionRoutes } from './routes/decisions.ts';
import { registerRoundRoutes } from './routes/rounds.ts';
import { registerEvidenceRoutes } from './routes/evidence.ts';

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
 * route) → body parsing → zod validation → handler → one error handler that answers from the error registry. The
 * rate limit comes before auth so that requests without a token, or with a wrong one, are counted too.
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
    // The router's and the HTTP parser's own refusals (414, 431, a request that is not HTTP) answer from the registry.
    frameworkErrors: (error, request, reply) => replyWithError(error, request, reply),
    clientErrorHandler: answerClientError,
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

  // Auth joins each route's onRequest hooks after the rate limit's (added by the plugin above, also per route): a
  // request refused for its token has been counted first. Every route is registered after this hook.
  const authenticate = authHook(ctx) as onRequestHookHandler;
  app.addHook('onRoute', (route) => {
    const own = route.onRequest === undefined ? [] : Array.isArray(route.onRequest) ? route.onRequest : [route.onRequest];
    route.onRequest = [...own, authenticate];
  });

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

  app.setErrorHandler((error: FastifyError, request, reply) => replyWithError(error, request, reply));
  // Probing for addresses is limited like any other request.
  const notFoundLimit = ctx.config.rateLimit.max > 0 ? { preHandler: app.rateLimit() } : {};
  app.setNotFoundHandler(notFoundLimit, (request, reply) => {
    const error = new ApiError('NOT_FOUND', `${request.method} ${request.url.split('?')[0]!.slice(0, 200)}`);
    reply.header('vary', 'Accept');
    if (wantsHtml(request)) return reply.code(404).type('text/html; charset=utf-8').send(errorPage(error, request.id));
    return reply.code(404).type('application/json; charset=utf-8').send(JSON.stringify(errorBody(error, request.id)));
  });

  registerPublicRoutes(app, ctx);
  registerAuthRoutes(app, ctx);
  registerChecklistRoutes(app);
  registerDossierRoutes(app, ctx);
  registerEvidenceRoutes(app, ctx);
  registerTypeCorrectionRoutes(app, ctx);
  registerSegmentationRoutes(app, ctx);
  registerNoticeRoutes(app, ctx);
  registerAuditRoutes(app, ctx);
  registerDecisionRoutes(app, ctx);
  registerRoundRoutes(app, ctx);
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

export { API_ERRORS, toApiError };
