import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { rm } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isPrivateAddress } from '../../api/webhooks/target-guard.ts';
import { verifyWebhookSignature } from '../../api/webhooks/deliveries.ts';
import { bearer, startTestApi, uploadDossier, type TestApi } from './harness.ts';

// The secret as docs/api.md tells operators to set it (WEBHOOK_SECRET).
const SECRET = 'documented-webhook-secret-for-tests';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A receiver on 127.0.0.1 answering the given statuses in turn (the last one repeats). */
async function receiver(statuses: number[]): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.statusCode = statuses[Math.min(received.length - 1, statuses.length - 1)]!;
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/dossier`, received, server };
}

let api: TestApi;
let admin: string;
const servers: Server[] = [];

beforeAll(async () => {
  api = await startTestApi({ webhook: { secret: SECRET, allowPrivateTargets: true, baseDelayMs: 20, maxAttempts: 4, timeoutMs: 5000 } });
  admin = await api.token('admin');
});
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});
afterAll(async () => api.close());

async function deliveryOf(id: string, until: (state: string) => boolean) {
  for (let i = 0; i < 500; i++) {
    const view = (await api.app.inject({ url: `/api/v1/dossiers/${id}/webhook`, headers: bearer(admin) })).json();
    if (until(view.state)) return view;
    await sleep(20);
  }
  throw new Error('webhook never settled');
}

describe('when the receiver answers 500 twice, then 200', () => {
  let id: string;
  let received: Received[];
  let view: { state: string; attempts: Array<{ n: number; statusCode?: number }>; deliveryId: string };

  beforeAll(async () => {
    const target = await receiver([500, 500, 200]);
    servers.push(target.server);
    received = target.received;
    const response = await uploadDossier(api, admin, { callbackUrl: target.url });
    expect(response.statusCode).toBe(202);
    id = response.json().id;
    await api.processor.idle();
    view = await deliveryOf(id, (s) => s !== 'pending' && s !== 'none');
  });

  it('retries until delivered and records every attempt', () => {
    expect(view.state).toBe('delivered');
    expect(view.attempts.map((a) => a.statusCode)).toEqual([500, 500, 200]);
    expect(view.attempts.map((a) => a.n)).toEqual([1, 2, 3]);
    expect(received).toHaveLength(3);
  });

  it('sends the same body and delivery id on every attempt', () => {
    expect(new Set(received.map((r) => r.body)).size).toBe(1);
    expect(new Set(received.map((r) => r.headers['x-dossier-delivery'])).size).toBe(1);
    expect(received[0]!.headers['x-dossier-delivery']).toBe(view.deliveryId);
  });

  it('signs each request so that the documented secret verifies it', () => {
    for (const r of received) {
      const header = String(r.headers['x-dossier-signature']);
      // The recipe in docs/api.md, done by hand: HMAC-SHA256(secret, "<t>.<raw body>") in hex.
      const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header)!;
      expect(createHmac('sha256', SECRET).update(`${t}.${r.body}`).digest('hex')).toBe(v1);
      expect(verifyWebhookSignature(SECRET, header, r.body)).toBe(true);
      expect(verifyWebhookSignature('another-secret-of-some-length', header, r.body)).toBe(false);
      expect(verifyWebhookSignature(SECRET, header, r.body.replace('"done"', '"failed"'))).toBe(false);
    }
  });

  it('tells the receiver which dossier finished and where its report is', () => {
    const payload = JSON.parse(received[0]!.body);
    expect(payload).toMatchObject({ event: 'dossier.finished', dossierId: id, status: 'done', complete: false });
    expect(payload.reportUrl).toMatch(new RegExp(`^http://.+/api/v1/dossiers/${id}/report$`));
    expect(received[0]!.headers['content-type']).toMatch(/^application\/json/);
  });
});

describe('when the receiver keeps failing', () => {
  it('gives up after the configured attempts and says so', async () => {
    const target = await receiver([503]);
    servers.push(target.server);
    const id = (await uploadDossier(api, admin, { callbackUrl: target.url })).json().id;
    await api.processor.idle();
    const view = await deliveryOf(id, (s) => s === 'failed' || s === 'delivered');
    expect(view.state).toBe('failed');
    expect(view.attempts).toHaveLength(4);
    expect(target.received).toHaveLength(4);
  });
});

describe('when nobody listens at the callback address', () => {
  it('records the network error of each attempt', async () => {
    const target = await receiver([200]);
    const url = target.url;
    target.server.close();
    const id = (await uploadDossier(api, admin, { callbackUrl: url })).json().id;
    await api.processor.idle();
    const view = await deliveryOf(id, (s) => s === 'failed' || s === 'delivered');
    expect(view.state).toBe('failed');
    expect(view.attempts[0].error).toMatch(/ECONNREFUSED/);
  });
});

describe('when the API shuts down while a receiver has not answered yet', () => {
  it('aborts the POST, keeps the delivery pending without using up an attempt, and writes nothing after close', async () => {
    const own = await startTestApi({ webhook: { secret: SECRET, allowPrivateTargets: true, baseDelayMs: 20, maxAttempts: 1, timeoutMs: 60_000 } });
    let arrived!: () => void;
    const requestArrived = new Promise<void>((resolve) => (arrived = resolve));
    // Reads the request and never answers.
    const silent = createServer((req) => {
      req.resume();
      arrived();
    });
    servers.push(silent);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/hooks/dossier`;
    const ownAdmin = await own.token('admin');
    const id = (await uploadDossier(own, ownAdmin, { callbackUrl: url })).json().id;
    await own.processor.idle();
    await requestArrived;

    await own.app.close();
    await own.ctx.close();
    const state = await own.ctx.webhooks.get(id);
    expect(state?.state).toBe('pending');
    expect(state?.attempts).toHaveLength(1);
    expect(state?.attempts[0]!.error).toBe('服务关闭，本次发送中断，重启后继续');
    expect(state?.attempts[0]!.interrupted).toBe(true);
    expect(state?.nextAttemptAt).toBeDefined();
    // The folder can be removed at once: no write of the sender is still under way.
    await rm(own.dataDir, { recursive: true });
    await own.ocr.close();
  });
});

describe('when deciding whether an address is private', () => {
  it.each(['127.0.0.1', '10.0.0.8', '172.20.1.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', '::', 'fe80::1', 'fd00::1', '::ffff:127.0.0.1', '::ffff:10.0.0.1', '224.0.0.1'])('%s is private', (address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });
  it.each(['8.8.8.8', '114.114.114.114', '2400:3200::1', '::ffff:8.8.8.8'])('%s is public', (address) => {
    expect(isPrivateAddress(address)).toBe(false);
  });
});
