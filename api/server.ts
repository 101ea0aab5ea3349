import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { closeSharedOcrPool, cpuPlan, useCpuPlan } from '../pipeline/index.ts';
import { createBlobStore } from '../storage/index.ts';
import { buildApp } from './app.ts';
import { apiConfigFromEnv, type ApiConfig } from './config.ts';
import { createContext, type AppContext } from './context.ts';
import { DistributedProcessor } from './processing/distributed.ts';
import { EmbeddedProcessor } from './processing/embedded.ts';

export interface RunningServer {
  app: FastifyInstance;
  ctx: AppContext;
  url: string;
  stop: () => Promise<void>;
}

/**
 * `npm start` / `dossier serve`: the API and the web UI. Embedded by default (in-process checking, local folder
 * storage, nothing else to run); with REDIS_URL, dossiers go to the BullMQ workers and storage should be S3.
 */
export async function startServer(config: ApiConfig = apiConfigFromEnv(), env: NodeJS.ProcessEnv = process.env): Promise<RunningServer> {
  const store = createBlobStore();
  // One logger for requests, the processor and webhook deliveries; tokens never reach it (see app.ts redact).
  const log = pino({ level: config.logLevel, redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'] });
  const distributed = Boolean(config.redisUrl);
  const ctx = await createContext(config, {
    store,
    log,
    // PROCESS_CONCURRENCY cores: as many OCR threads as that (the context caps the readers and dossiers likewise).
    ocr: distributed ? undefined : useCpuPlan(cpuPlan(config.processConcurrency)),
    processor: distributed ? (parts) => DistributedProcessor.connect({ ...parts, env }) : undefined,
  }).catch(async (error) => {
    await closeSharedOcrPool();
    throw error;
  });
  const processor = ctx.processor;
  const recover = processor instanceof EmbeddedProcessor || processor instanceof DistributedProcessor ? () => processor.recover() : undefined;

  const app = await buildApp(ctx, { loggerInstance: log });
  const url = await app.listen({ host: config.host, port: config.port });
  ctx.setListenUrl(url);
  const recovered = await recover?.();
  if (recovered) app.log.info({ recovered }, 'unfinished dossiers queued again');
  await resumeWebhooks(ctx);

  if (config.bootstrapAdmin && (await ctx.tokens.isEmpty())) {
    const { token } = await ctx.tokens.create({ name: '初始管理员', role: 'admin' });
    // Shown once, like a first-run password: the operator uses it to sign in and create real tokens.
    process.stderr.write(
      `\n首次启动：已创建管理员令牌（只显示这一次，请妥善保存）：\n  ${token}\n浏览器打开：${ctx.publicUrl()}/ui/index.html#token=${token}\n创建其他令牌：npx dossier token create --role officer --jurisdiction changde --name "张三"\n\n`,
    );
  }
  app.log.info({ url, mode: ctx.processor.mode, storage: store.location }, 'dossier API listening');

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await app.close();
      await ctx.close();
      await closeSharedOcrPool();
    })());
  return { app, ctx, url, stop };
}

/** Deliveries a previous run left pending are picked up again. */
async function resumeWebhooks(ctx: AppContext): Promise<void> {
  for await (const id of ctx.repo.ids()) {
    const record = await ctx.repo.get(id).catch(() => null);
    if (record?.callbackUrl && (record.status === 'done' || record.status === 'failed')) await ctx.webhooks.resume(id).catch(() => undefined);
  }
}
