import type { FastifyInstance } from 'fastify';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { AppContext } from '../context.ts';
import { DistributedProcessor } from '../processing/distributed.ts';

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
  await app.register(
    async (scope) => {
      scope.addHook('onRoute', (route) => {
        route.config = { ...(route.config as object), auth: ['admin'] };
      });
      await scope.register(serverAdapter.registerPlugin());
    },
    { prefix: '/admin/queues' },
  );
}
