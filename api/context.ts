import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import { z } from 'zod';
import { cpuPlan, limitSharedReaders, type OcrEngine, type ExtractionCache } from '../pipeline/index.ts';
import { blobExtractionCache } from '../pipeline/extraction-cache.ts';
import { BlobNotFoundError, createBlobStore, DATABASE_FOLDER, SHARES_PREFIX, shareKey, TOKENS_PREFIX, tokenKey, WEBHOOK_SECRET_KEY, type BlobStore } from '../storage/index.ts';
import { putSecretJson, restrictSecretFiles } from './auth/secret-files.ts';
import { ShareLinks } from './auth/share-links.ts';
import { TokenStore } from './auth/tokens.ts';
import { BatchRepository } from './batches/batches.ts';
import type { ApiConfig } from './config.ts';
import { DossierRepository } from './dossiers/records.ts';
import { openRecordDatabase, type RecordDatabase } from './db/database.ts';
import { sqlAuthDocuments, SqlAuditLog, SqlRecordTable } from './db/records-table.ts';
import { blobAuthDocuments, type AuthDocuments } from './auth/documents.ts';
import { AuditTrail } from './db/audit.ts';
import { EmbeddedProcessor } from './processing/embedded.ts';
import { removeCrashLeftovers, workRootFor } from './processing/leftovers.ts';
import type { DossierProcessor } from './processing/processor.ts';
import { WebhookSender } from './webhooks/deliveries.ts';

/** Everything the routes use, built once per server. Tests build it with a temporary local store. */
export interface AppContext {
  config: ApiConfig;
  store: BlobStore;
  repo: DossierRepository;
  /** Who did what to which dossier, when (a no-op without a database). */
  audit: AuditTrail;
  batches: BatchRepository;
  tokens: TokenStore;
  shares: ShareLinks;
  cache: ExtractionCache;
  processor: DossierProcessor;
  webhooks: WebhookSender;
  webhookSecret: string;
  /** Folder for temporary work folders of this data folder, cleared of a crash's leftovers on start. */
  workRoot: string;
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
  processor?: (parts: { repo: DossierRepository; cache: ExtractionCache; store: BlobStore; log?: FastifyBaseLogger; workRoot: string }) => DossierProcessor | Promise<DossierProcessor>;
  log?: FastifyBaseLogger;
}

/**
 * Builds the context; on the way, the data folder is put in order: secret files owner-only, and what a crashed
 * run left (half-written objects, work folders) removed.
 */
export async function createContext(config: ApiConfig, options: ContextOptions = {}): Promise<AppContext> {
  const store = options.store ?? createBlobStore();
  const workRoot = workRootFor(store);
  const restricted = await restrictSecretFiles(store);
  if (restricted > 0) options.log?.info({ restricted }, 'secret files made owner-only');
  const removed = await removeCrashLeftovers(store, workRoot);
  if (removed.partials + removed.workFolders > 0) options.log?.info(removed, 'leftovers of an earlier run removed');
  const distributed = Boolean(config.redisUrl);
  const database = await openDatabaseFor(config, store);
  // Another process may write the records (a worker's node, `dossier supplement` on the same data folder): trust a
  // read for a second only. Object storage alone in embedded mode has this process as its only writer.
  const repo = new DossierRepository(store, config.recordCacheMs ?? (distributed || database ? 1000 : Number.POSITIVE_INFINITY), database ? new SqlRecordTable(database.db) : undefined);
  const imported = await repo.importFromStore();
  if (imported > 0) options.log?.info({ imported, database: database?.location }, 'dossier records moved into the database');
  const audit = new AuditTrail(database ? new SqlAuditLog(database.db) : undefined);
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
  if (options.processor) processor = await options.processor({ repo, cache, store, log: options.log, workRoot });
  else {
    if (!options.ocr) throw new Error('内置处理模式需要 OCR 引擎');
    const plan = cpuPlan(config.processConcurrency);
    // Readers are shared by every dossier in flight; the caller sized the OCR pool (server.ts: useCpuPlan).
    limitSharedReaders(plan);
    processor = new EmbeddedProcessor({ repo, job: { store, ocr: options.ocr, cache, workRoot }, plan, log: options.log });
  }
  const auth = await authDocuments(database, store);
  const tokens = new TokenStore(store, undefined, auth.tokens);
  let listenUrl = `http://${config.host}:${config.port}`;
  const ctx: AppContext = {
    config,
    store,
    repo,
    audit,
    batches: new BatchRepository(store),
    tokens,
    shares: new ShareLinks(store, tokens, auth.shares),
    cache,
    processor,
    webhooks,
    webhookSecret,
    workRoot,
    publicUrl: () => config.publicUrl ?? listenUrl,
    setListenUrl: (url) => {
      listenUrl = url.replace(/\/+$/, '');
    },
    close: async () => {
      // The processor first: a dossier finishing now still starts its webhook, which close() then records.
      await processor.close();
      await webhooks.close();
      await database?.close();
    },
  };
  processor.onFinished((id) => void webhooks.track(notifyFinished(ctx, id)).catch((error) => options.log?.error({ err: error, dossierId: id }, 'webhook not started')));
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
  await putSecretJson(store, WEBHOOK_SECRET_KEY, { secret, createdAt: new Date().toISOString() });
  return secret;
}

/**
 * PostgreSQL when DATABASE_URL is set; SQLite in a local data folder otherwise. With S3 and no DATABASE_URL records
 * stay in object storage as before (several API nodes cannot share one SQLite file).
 */
async function openDatabaseFor(config: ApiConfig, store: BlobStore): Promise<RecordDatabase | undefined> {
  if (config.databaseUrl) return openRecordDatabase({ url: config.databaseUrl });
  if (store.kind === 'local') return openRecordDatabase({ sqliteFile: join(store.location, DATABASE_FOLDER, 'records.sqlite') });
  return undefined;
}

/**
 * Tokens and share links in the database when there is one. A data folder that kept them as objects has them copied
 * in once, while the table's collection is still empty, so every token and link made before keeps working.
 */
async function authDocuments(database: RecordDatabase | undefined, store: BlobStore): Promise<{ tokens?: AuthDocuments; shares?: AuthDocuments }> {
  if (!database) return {};
  const pairs = [
    { sql: sqlAuthDocuments(database.db, 'tokens'), blob: blobAuthDocuments(store, TOKENS_PREFIX, tokenKey) },
    { sql: sqlAuthDocuments(database.db, 'shares'), blob: blobAuthDocuments(store, SHARES_PREFIX, shareKey) },
  ];
  for (const { sql, blob } of pairs) {
    if (await sql.any()) continue;
    for await (const { id, value } of blob.list()) await sql.put(id, value);
  }
  return { tokens: pairs[0]!.sql, shares: pairs[1]!.sql };
}

/** The token store the server would use, for the CLI's `token` commands (same database or data folder). */
export async function openTokenStore(config: ApiConfig, store: BlobStore = createBlobStore()): Promise<{ tokens: TokenStore; close: () => Promise<void> }> {
  const database = await openDatabaseFor(config, store);
  const auth = await authDocuments(database, store);
  return { tokens: new TokenStore(store, undefined, auth.tokens), close: async () => database?.close() };
}
