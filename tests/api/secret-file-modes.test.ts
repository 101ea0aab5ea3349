import { chmod, mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTokenStore } from '../../api/context.ts';
import { parseApiConfig } from '../../api/config.ts';
import { startServer, type RunningServer } from '../../api/server.ts';
import { LocalFolderStore } from '../../storage/index.ts';

/**
 * The data folder keeps the generated webhook secret, token records and share-link records under auth/. Another
 * account on the machine must read none of them: files 0600, folders 0700, from the moment they are written, and
 * files an earlier version left with the default mode are fixed when the server starts. The server runs for real
 * (npm start's startServer, a real port) on a data folder of the test's own.
 */

let dataDir: string;
let server: RunningServer | undefined;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'api-secret-modes-'));
  process.env.DATA_DIR = dataDir;
  delete process.env.STORAGE;
});
afterEach(async () => {
  await server?.stop();
  server = undefined;
  await rm(dataDir, { recursive: true, force: true });
});

async function start(): Promise<RunningServer> {
  server = await startServer(parseApiConfig({ host: '127.0.0.1', port: 0, bootstrapAdmin: false, logLevel: 'silent', rateLimit: { max: 0, uploads: 0 } }), {});
  return server;
}

async function mode(...path: string[]): Promise<string> {
  return ((await stat(join(dataDir, ...path))).mode & 0o777).toString(8);
}

describe('when the server starts on an empty data folder and is used', () => {
  it('writes the webhook secret, tokens and share links owner-only', async () => {
    const running = await start();
    expect(await mode('auth', 'webhook-secret.json')).toBe('600');
    expect(await mode('auth')).toBe('700');

    // Tokens and share links are rows of the data folder's database now: its folder is owner-only.
    const { token: admin } = await running.ctx.tokens.create({ name: '管理员', role: 'admin' });
    expect(await mode('.database')).toBe('700');

    const created = await fetch(`${running.url}/api/v1/tokens`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: '审核员', role: 'officer', jurisdiction: 'changde' }),
    });
    expect(created.status).toBe(201);
    const officerId = ((await created.json()) as { record: { id: string } }).record.id;
    const revoked = await fetch(`${running.url}/api/v1/tokens/${officerId}`, { method: 'DELETE', headers: { authorization: `Bearer ${admin}` } });
    expect(revoked.status).toBe(200);
    expect((await running.ctx.tokens.get(officerId))?.revokedAt).toBeDefined();
    expect(await mode('.database')).toBe('700');
  });
});

describe('when the command line creates a token without a server', () => {
  it('writes it owner-only too', async () => {
    const { tokens, close } = await openTokenStore(parseApiConfig({}), new LocalFolderStore({ root: dataDir }));
    const { record } = await tokens.create({ name: '运维', role: 'admin' }).finally(close);
    expect(await mode('.database')).toBe('700');
    // The server started on that folder afterwards knows the token.
    const running = await start();
    expect((await running.ctx.tokens.get(record.id))?.name).toBe('运维');
  });
});

describe('when an earlier version left secret files readable by others', () => {
  it('makes them owner-only on start', async () => {
    await mkdir(join(dataDir, 'auth', 'tokens'), { recursive: true });
    await mkdir(join(dataDir, 'auth', 'shares'), { recursive: true });
    const secret = join(dataDir, 'auth', 'webhook-secret.json');
    await writeFile(secret, JSON.stringify({ secret: 'x'.repeat(43), createdAt: new Date().toISOString() }));
    const tokenFile = join(dataDir, 'auth', 'tokens', '0123456789abcdef.json');
    await writeFile(tokenFile, '{}');
    const shareFile = join(dataDir, 'auth', 'shares', `${'a'.repeat(64)}.json`);
    await writeFile(shareFile, '{}');
    for (const file of [secret, tokenFile, shareFile]) await chmod(file, 0o644);
    for (const folder of ['auth', 'auth/tokens', 'auth/shares']) await chmod(join(dataDir, folder), 0o755);

    await start();
    expect(await mode('auth', 'webhook-secret.json')).toBe('600');
    expect(await mode('auth', 'tokens', '0123456789abcdef.json')).toBe('600');
    expect(await mode('auth', 'shares', `${'a'.repeat(64)}.json`)).toBe('600');
    for (const folder of ['auth', 'auth/tokens', 'auth/shares']) expect(await mode(...folder.split('/'))).toBe('700');
  });
});
