import type { FastifyInstance, FastifyReply } from 'fastify';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { AppContext } from '../context.ts';
import { toApiError } from '../error-mapping.ts';
import { ApiError, errorBody, type ApiErrorCode } from '../errors.ts';
import { DistributedProcessor } from '../processing/distributed.ts';
import { ErrorResponse } from '../schemas.ts';

/**
 * bull-board at /admin/queues, in distributed mode only (the embedded runner has no queue to show), for admins:
 * the auth hook applies to its routes like to any other, with the admin role required. A browser reaches it with
 * the session cookie of the web UI.
 */
export async function registerQueueDashboard(app: FastifyInstance, ctx: AppContext): Promise<void> {
  if (!(ctx.processor instanceof DistributedProcessor)) return;
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath('/admin/queues');
  // The two bull-board packages are published separately and their type declarations drift by a patch version.
  createBullBoard({ queues: [new BullMQAdapter(ctx.processor.dashboardQueue())], serverAdapter: serverAdapter as unknown as Parameters<typeof createBullBoard>[0]['serverAdapter'] });
  // bull-board's plugin has its own error handler (it would answer our 401/403 as its 500-style body): ours instead.
  serverAdapter.setErrorHandler((error) => {
    const apiError = toApiError(error as Parameters<typeof toApiError>[0]);
    // The declared status union lacks 401 and 429; the adapter passes any status on as it is.
    return { status: apiError.statusCode, body: errorBody(apiError) } as unknown as ReturnType<Parameters<FastifyAdapter['setErrorHandler']>[0]>;
  });
  await app.register(
    async (scope) => {
      scope.addHook('onRoute', (route) => {
        route.config = { ...(route.config as object), auth: ['admin'] };
      });
      scope.addHook('onSend', async (request, reply, payload) => (reply.statusCode >= 400 ? documentedErrorPayload(reply, payload, request.id) : payload));
      await scope.register(serverAdapter.registerPlugin());
    },
    { prefix: '/admin/queues' },
  );
}

/**
 * bull-board's handlers answer failures as `{"error":{"key":"ERRORS.QUEUE_NOT_FOUND"}}` (a key its UI translates):
 * re-worded into the documented shape, keeping the key and its options beside code and message for that UI.
 */
function documentedErrorPayload(reply: FastifyReply, payload: unknown, requestId: string): unknown {
  let parsed: unknown;
  try {
    parsed = typeof payload === 'string' ? JSON.parse(payload) : undefined;
  } catch {
    parsed = undefined;
  }
  // Our own errors (the auth hook's, through the error handler above) only lack the request id.
  if (ErrorResponse.safeParse(parsed).success) return JSON.stringify({ ...(parsed as object), requestId });
  const status = reply.statusCode;
  const original = (parsed as { error?: { key?: unknown; options?: unknown } } | undefined)?.error;
  const [code, detail]: [ApiErrorCode, string] =
    status === 404 ? ['NOT_FOUND', '队列面板中没有这个队列或任务'] : status >= 500 ? ['INTERNAL', '队列面板出错'] : ['VALIDATION_FAILED', '队列面板拒绝了这个请求'];
  reply.type('application/json; charset=utf-8');
  return JSON.stringify(errorBody(new ApiError(code, detail, { key: original?.key, options: original?.options }), requestId));
}
