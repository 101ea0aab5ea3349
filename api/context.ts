import { randomBytes } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import { z } from 'zod';
import type { OcrEngine } from '../extractors/model.ts';
import { blobExtractionCache } from '../pipeline/extraction-cache.ts';
import type { ExtractionCache } from '../pipeline/check-dossier.ts';
import { BlobNotFoundError, createBlobStore, type BlobStore } from '../storage/index.ts';
import { ShareLinks } from './auth/share-links.ts';
import { TokenStore } from './auth/tokens.ts';
import { BatchRepository } from './batches/batches.ts';
import type { ApiConfig } from './config.ts';
import { DossierRepository } from './dossiers/records.ts';
import { EmbeddedProcessor } from './processing/embedded.ts';
import type { DossierProcessor } from './processing/processor.ts';
import { WEBHOOK_SECRET_KEY } from './store-keys.ts';
import { WebhookSender } from './webhooks/deliveries.ts';

/** Everything the routes use, built once per server. Tests build it with a temporary local store. */
export interface AppContext {
  config: ApiConfig;
  store: BlobStore;
  repo: DossierRepository;
  batches: BatchRepository;
  tokens: TokenStore;
  shares: ShareLinks;
  cache: ExtractionCache;
  processor: DossierProcessor;
  webhooks: WebhookSender;
  webhookSecret: string;
  /** Absolute base URL (no trailing slash) for links that leave the server: webhooks, share links. */
  publicUrl: () => string;
  setListenUrl: (url: string) => void;
  close: () => Promise<void>;
}

export interface ContextOptions {
  store?: BlobStore;
  /** Required in embedded mode (the OCR pool); the server passes the shared pool. */
  ocr?: OcrEngine;
  /** A ready-made processor (distributed adapter, or tests); default: embedded. */
  processor?: (parts: { repo: DossierRepository; cache: ExtractionCache; store: BlobStore; log?: FastifyBaseLogger }) => DossierProcessor | Promise<DossierProcessor>;
  log?: FastifyBaseLogger;
}

export async function createContext(config: ApiConfig, options: ContextOptions = {}): Promise<AppContext> {
  const store = options.store ?? createBlobStore();
  const distributed = Boolean(config.redisUrl);
  const repo = new DossierRepository(store, config.recordCacheMs ?? (distributed ? 1000 : Number.POSITIVE_INFINITY));
  const cache = blobExtractionCache(store);
  const webhookSecret = config.webhook.secret ?? (await storedWebhookSecret(store));
  const webhooks = new WebhookSender({
    store,
    secret: webhookSecret,
    allowPrivateTargets: config.webhook.allowPrivateTargets,
    maxAttempts: config.webhook.maxAttempts,
    baseDelayMs: config.webhook.baseDelayMs,
    timeoutMs: config.webhook.timeoutMs,
    log: options.log,
  });
  let processor: DossierProcessor;
  if (options.processor) processor = await options.processor({ repo, cache, store, log: options.log });
  else {
    if (!options.ocr) throw new Error('内置处理模式需要 OCR 引擎');
    processor = new EmbeddedProcessor({ repo, job: { store, ocr: options.ocr, cache }, concurrency: config.processConcurrency, log: options.log });
  }
  let listenUrl = `http://${config.host}:${config.port}`;
  const ctx: AppContext = {
    config,
    store,
    repo,
    batches: new BatchRepository(store),
    tokens: new TokenStore(store),
    shares: new ShareLinks(store),
    cache,
    processor,
    webhooks,
    webhookSecret,
    publicUrl: () => config.publicUrl ?? listenUrl,
    setListenUrl: (url) => {
      listenUrl = url.replace(/\/+$/, '');
    },
    close: async () => {
      webhooks.close();
      await processor.close();
    },
  };
  processor.onFinished((id) => void notifyFinished(ctx, id).catch((error) => options.log?.error({ err: error, dossierId: id }, 'webhook not started')));
  return ctx;
}

/** The completion webhook of a finished dossier, when it asked for one. */
export async function notifyFinished(ctx: AppContext, dossierId: string): Promise<void> {
  const record = await ctx.repo.get(dossierId);
  if (!record?.callbackUrl) return;
  const base = ctx.publicUrl();
  await ctx.webhooks.notify(dossierId, record.callbackUrl, {
    dossierId,
    status: record.status,
    complete: record.result?.complete ?? null,
    summary: record.result?.summary ?? null,
    error: record.error ?? null,
    statusUrl: `${base}/api/v1/dossiers/${dossierId}`,
    reportUrl: `${base}/api/v1/dossiers/${dossierId}/report`,
    finishedAt: record.updatedAt,
  });
}

const SecretSchema = z.object({ secret: z.string().min(16), createdAt: z.string() });

/** Without WEBHOOK_SECRET, one secret is generated on first start and kept, so signatures survive restarts. */
async function storedWebhookSecret(store: BlobStore): Promise<string> {
  try {
    return (await store.getJson(WEBHOOK_SECRET_KEY, SecretSchema)).secret;
  } catch (error) {
    if (!(error instanceof BlobNotFoundError)) throw error;
  }
  const secret = randomBytes(32).toString('base64url');
  await store.putJson(WEBHOOK_SECRET_KEY, { secret, createdAt: new Date().toISOString() });
  return secret;
}
