import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { FastifyBaseLogger } from 'fastify';
import { z } from 'zod';
import { BlobNotFoundError, CorruptBlobError, type BlobStore } from '../../storage/index.ts';
import { webhookKey } from '../../storage/index.ts';
import { CallbackTargetError, resolveCallbackTarget } from './target-guard.ts';

/**
 * Completion webhooks: when a dossier finishes, its `callbackUrl` receives a signed JSON POST. Non-2xx answers,
 * timeouts and network errors are retried with exponential backoff (base, 2×base, 4×base …) up to `maxAttempts`;
 * every attempt is recorded in storage and shown by `GET /api/v1/dossiers/:id/webhook`.
 *
 * Signature (docs/api.md): header `X-Dossier-Signature: t=<unix seconds>,v1=<hex>` where
 * hex = HMAC-SHA256(secret, `<t>.<raw body>`). Receivers recompute it with the shared secret and reject old `t`.
 */

export const SIGNATURE_HEADER = 'x-dossier-signature';

export const DeliveryAttemptSchema = z.object({
  n: z.number().int().positive(),
  at: z.string(),
  statusCode: z.number().int().optional(),
  error: z.string().optional(),
  durationMs: z.number().nonnegative(),
  /** Cut short by our own shutdown: recorded, but not counted against the receiver's attempts. */
  interrupted: z.boolean().optional(),
});

export const WebhookStateSchema = z.object({
  deliveryId: z.string(),
  url: z.string(),
  event: z.literal('dossier.finished'),
  state: z.enum(['pending', 'delivered', 'failed', 'refused']),
  createdAt: z.string(),
  nextAttemptAt: z.string().optional(),
  attempts: z.array(DeliveryAttemptSchema),
  /** The exact body sent on every attempt. */
  body: z.string(),
});
export type WebhookState = z.infer<typeof WebhookStateSchema>;

export function signWebhook(secret: string, body: string, timestamp = Math.floor(Date.now() / 1000)): string {
  const hex = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return `t=${timestamp},v1=${hex}`;
}

/** What a receiver does; exported for tests and as the reference implementation in the docs. */
export function verifyWebhookSignature(secret: string, header: string, body: string, toleranceSeconds = 300, now = Date.now()): boolean {
  const parts = Object.fromEntries(header.split(',').map((p) => p.split('=', 2) as [string, string]));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || !parts.v1 || Math.abs(now / 1000 - t) > toleranceSeconds) return false;
  const expected = Buffer.from(createHmac('sha256', secret).update(`${t}.${body}`).digest('hex'), 'hex');
  const given = Buffer.from(parts.v1, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export interface WebhookSenderOptions {
  store: BlobStore;
  secret: string;
  allowPrivateTargets: boolean;
  maxAttempts: number;
  baseDelayMs: number;
  timeoutMs: number;
  log?: FastifyBaseLogger;
}

export class WebhookSender {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Work that writes a delivery record: close() waits for it, so nothing is written after the store is gone. */
  private readonly inFlight = new Set<Promise<unknown>>();
  /** Aborts the POSTs under way when the process shuts down; their attempt is recorded and retried on next start. */
  private readonly shutdown = new AbortController();
  private closed = false;

  constructor(private readonly options: WebhookSenderOptions) {}

  /** Starts delivering `payload` to `url` for this dossier, replacing any earlier delivery of it. */
  async notify(dossierId: string, url: string, payload: Record<string, unknown>): Promise<WebhookState> {
    return this.track(this.start(dossierId, url, payload));
  }

  private async start(dossierId: string, url: string, payload: Record<string, unknown>): Promise<WebhookState> {
    const deliveryId = randomUUID();
    const state: WebhookState = {
      deliveryId,
      url,
      event: 'dossier.finished',
      state: 'pending',
      createdAt: new Date().toISOString(),
      nextAttemptAt: new Date().toISOString(),
      attempts: [],
      body: JSON.stringify({ event: 'dossier.finished', deliveryId, ...payload }),
    };
    await this.save(dossierId, state);
    this.schedule(dossierId, 0);
    return state;
  }

  async get(dossierId: string): Promise<WebhookState | null> {
    try {
      return await this.options.store.getJson(webhookKey(dossierId), WebhookStateSchema);
    } catch (error) {
      if (error instanceof BlobNotFoundError || error instanceof CorruptBlobError) return null;
      throw error;
    }
  }

  /** Picks up a delivery a previous process left pending. */
  async resume(dossierId: string): Promise<void> {
    const state = await this.get(dossierId);
    if (state?.state !== 'pending') return;
    const due = state.nextAttemptAt ? Date.parse(state.nextAttemptAt) - Date.now() : 0;
    this.schedule(dossierId, Math.max(0, due));
  }

  cancel(dossierId: string): void {
    clearTimeout(this.timers.get(dossierId));
    this.timers.delete(dossierId);
  }

  /** Keeps `work` until it settles, so {@link close} can wait for it. */
  track<T>(work: Promise<T>): Promise<T> {
    this.inFlight.add(work);
    const forget = () => this.inFlight.delete(work);
    work.then(forget, forget);
    return work;
  }

  /**
   * Stops scheduling, aborts POSTs under way and waits until their attempts are recorded: a delivery that was
   * pending stays pending in storage with its next attempt due, and {@link resume} picks it up after a restart.
   */
  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.shutdown.abort();
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private schedule(dossierId: string, delayMs: number): void {
    if (this.closed) return;
    this.cancel(dossierId);
    const timer = setTimeout(() => {
      this.timers.delete(dossierId);
      this.track(this.attempt(dossierId)).catch((error) => this.options.log?.error({ err: error, dossierId }, 'webhook attempt crashed'));
    }, delayMs);
    timer.unref();
    this.timers.set(dossierId, timer);
  }

  private async attempt(dossierId: string): Promise<void> {
    const state = await this.get(dossierId);
    if (!state || state.state !== 'pending' || this.closed) return;
    const n = state.attempts.length + 1;
    const started = Date.now();
    let statusCode: number | undefined;
    let error: string | undefined;
    let refused = false;
    try {
      statusCode = await this.post(state.url, state.body, state.deliveryId);
    } catch (e) {
      refused = e instanceof CallbackTargetError;
      error = (e as Error).message;
    }
    const delivered = statusCode !== undefined && statusCode >= 200 && statusCode < 300;
    // An attempt cut short by our own shutdown is no fault of the receiver's: it does not use up the attempts.
    const interrupted = this.shutdown.signal.aborted && !delivered;
    if (interrupted) error = '服务关闭，本次发送中断，重启后继续';
    const attempt = { n, at: new Date(started).toISOString(), statusCode, error, durationMs: Date.now() - started, ...(interrupted ? { interrupted } : {}) };
    const counted = [...state.attempts, attempt].filter((a) => !a.interrupted).length;
    const exhausted = counted >= this.options.maxAttempts;
    const delay = this.options.baseDelayMs * 2 ** Math.max(0, counted - 1);
    const next: WebhookState = {
      ...state,
      attempts: [...state.attempts, attempt],
      state: delivered ? 'delivered' : refused ? 'refused' : exhausted ? 'failed' : 'pending',
      nextAttemptAt: delivered || refused || exhausted ? undefined : new Date(Date.now() + delay).toISOString(),
    };
    await this.save(dossierId, next);
    this.options.log?.info({ dossierId, attempt: n, statusCode, error, state: next.state }, 'webhook attempt');
    if (next.state === 'pending') this.schedule(dossierId, delay);
  }

  private async post(rawUrl: string, body: string, deliveryId: string): Promise<number> {
    const { url, address, family } = await resolveCallbackTarget(rawUrl, this.options.allowPrivateTargets);
    // Connect to the address that was checked, whatever the name resolves to a moment later.
    const pinned: LookupFunction = (_hostname, options, callback) => {
      if ((options as { all?: boolean }).all) (callback as unknown as (e: null, a: Array<{ address: string; family: number }>) => void)(null, [{ address, family }]);
      else callback(null, address, family);
    };
    const client = url.protocol === 'https:' ? https : http;
    return new Promise<number>((resolve, reject) => {
      const request = client.request(
        url,
        {
          method: 'POST',
          lookup: pinned,
          timeout: this.options.timeoutMs,
          signal: this.shutdown.signal,
          headers: {
            'content-type': 'application/json; charset=utf-8',
            'content-length': Buffer.byteLength(body),
            'user-agent': 'dossier-checker-webhook/1',
            'x-dossier-event': 'dossier.finished',
            'x-dossier-delivery': deliveryId,
            [SIGNATURE_HEADER]: signWebhook(this.options.secret, body),
          },
        },
        (response) => {
          response.resume();
          response.on('end', () => resolve(response.statusCode ?? 0));
          response.on('error', reject);
        },
      );
      request.on('timeout', () => request.destroy(new Error(`超过 ${this.options.timeoutMs} 毫秒未响应`)));
      request.on('error', reject);
      request.end(body);
    });
  }

  private async save(dossierId: string, state: WebhookState): Promise<void> {
    await this.options.store.putJson(webhookKey(dossierId), state);
  }
}
