import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseApiConfig } from '../../api/config.ts';
import { DossierRepository, type DossierRecord } from '../../api/dossiers/records.ts';
import type { EmbeddedProcessor } from '../../api/processing/embedded.ts';
import { startServer, type RunningServer } from '../../api/server.ts';
import { LocalFolderStore, originalFileKey } from '../../storage/index.ts';
import { textDossierZip } from './harness.ts';

/**
 * A process that died mid-check leaves its dossier "processing", a half-written object in the staging folder and an
 * unpacked dossier in a work folder. The test writes exactly that into a data folder, starts the real server on it
 * (npm start's startServer, a real port), and looks at what the start made of it.
 */

let dataDir: string;
let server: RunningServer | undefined;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'api-after-crash-'));
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

const anHourAgo = new Date(Date.now() - 3_600_000);

describe('when a crash left half-written uploads and work folders', () => {
  it('removes them on start, and keeps what is newer than this process', async () => {
    const staging = join(dataDir, '.staging');
    const work = join(staging, 'work');
    await mkdir(join(work, 'dossier-api-Ab12Cd', 'input', '项目材料'), { recursive: true });
    await writeFile(join(work, 'dossier-api-Ab12Cd', 'input', '项目材料', '可行性研究报告.pdf'), 'x'.repeat(10_000));
    await mkdir(join(work, 'dossier-enqueue-Zz99'), { recursive: true });
    await writeFile(join(staging, '1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed.partial'), 'half an upload');
    for (const old of [join(work, 'dossier-api-Ab12Cd'), join(work, 'dossier-enqueue-Zz99'), join(staging, '1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed.partial')]) {
      await utimes(old, anHourAgo, anHourAgo);
    }
    // Written after this process started: someone may be writing it right now.
    await writeFile(join(staging, 'in-use.partial'), 'being written');
    await mkdir(join(work, 'dossier-api-InUse'), { recursive: true });
    // Not a leftover of ours at all.
    await writeFile(join(work, 'README.txt'), 'operator notes');
    await utimes(join(work, 'README.txt'), anHourAgo, anHourAgo);

    const running = await start();
    expect((await readdir(staging)).sort()).toEqual(['in-use.partial', 'work']);
    expect((await readdir(work)).sort()).toEqual(['README.txt', 'dossier-api-InUse']);
    // New checks unpack where the next start will look.
    expect(running.ctx.workRoot).toBe(work);
  });
});

async function zipped(): Promise<{ zip: Buffer; part: DossierRecord['input']['parts'][number] }> {
  const zip = textDossierZip();
  return { zip, part: { path: 'dossier.zip', size: zip.length, sha256: createHash('sha256').update(zip).digest('hex') } };
}

/** What a crashed process leaves: the record as the run left it, and the stored upload. */
async function leftBehind(id: string, status: DossierRecord['status'], attempts?: number): Promise<void> {
  const store = new LocalFolderStore({ root: dataDir });
  const { zip, part } = await zipped();
  await store.put(originalFileKey(id, part.path), zip);
  const at = anHourAgo.toISOString();
  await new DossierRepository(store).put({
    id,
    createdAt: at,
    updatedAt: at,
    status,
    city: 'municipal-template',
    stage: 'filing',
    facts: {},
    owner: { tokenId: '0123456789abcdef', role: 'unit', unit: '崩溃测试单位' },
    input: { name: 'dossier.zip', kind: 'archive', parts: [part] },
    progress: status === 'queued' ? { stage: 'queued', done: 0, total: 0, percent: 0, message: '排队等待检查' } : { stage: 'extract', done: 1, total: 2, percent: 50, path: '可行性研究报告.txt', message: '已提取 1/2' },
    attempts,
  });
}

describe('when dossiers were left queued or half checked', () => {
  it('queues again what was started at most once, and fails what was started twice with a Chinese reason', async () => {
    await leftBehind('d_never_started', 'queued');
    await leftBehind('d_crashed_once', 'processing', 1);
    await leftBehind('d_crashed_twice', 'processing', 2);

    const running = await start();
    await (running.ctx.processor as EmbeddedProcessor).idle();
    const { token } = await running.ctx.tokens.create({ name: '管理员', role: 'admin' });
    const status = async (id: string) => (await (await fetch(`${running.url}/api/v1/dossiers/${id}`, { headers: { authorization: `Bearer ${token}` } })).json()) as { status: string; error?: { code: string; message: string }; progress: { stage: string } };

    expect((await status('d_never_started')).status).toBe('done');
    expect((await status('d_crashed_once')).status).toBe('done');
    expect((await running.ctx.repo.get('d_crashed_once'))!.attempts).toBe(2);

    const failed = await status('d_crashed_twice');
    expect(failed.status).toBe('failed');
    expect(failed.progress.stage).toBe('failed');
    expect(failed.error).toEqual({ code: 'PROCESSING_INTERRUPTED', message: '处理两次均未完成（可能是某个文件导致处理中断），请重新检查或联系管理员' });
    expect((await running.ctx.repo.get('d_crashed_twice'))!.attempts).toBe(2);
    const report = await fetch(`${running.url}/api/v1/dossiers/d_crashed_twice/report`, { headers: { authorization: `Bearer ${token}` } });
    expect(report.status).toBe(409);
    expect(((await report.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: 'DOSSIER_FAILED', message: expect.stringContaining('处理两次均未完成') });
  });

  it('lets the officer check a dossier that failed that way again, counting from zero', async () => {
    await leftBehind('d_crashed_twice', 'processing', 2);
    const running = await start();
    const { token } = await running.ctx.tokens.create({ name: '审核员', role: 'officer', jurisdiction: 'municipal-template' });
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };

    const retried = await fetch(`${running.url}/api/v1/dossiers/d_crashed_twice/recheck`, { method: 'POST', headers, body: JSON.stringify({ facts: {} }) });
    expect(retried.status).toBe(202);
    expect(((await retried.json()) as { dossier: { status: string } }).dossier.status).toBe('queued');
    await (running.ctx.processor as EmbeddedProcessor).idle();

    const record = (await running.ctx.repo.get('d_crashed_twice'))!;
    expect(record.status).toBe('done');
    expect(record.error).toBeUndefined();
    expect(record.attempts).toBe(1);
  });
});
