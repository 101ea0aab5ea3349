import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostileSample } from '../helpers/hostile-samples.ts';
import { SYMLINK_ATTRIBUTES, writeZip } from '../helpers/zip-writer.ts';
import { bearer, multipart, startTestApi, textDossierZip, type TestApi } from './harness.ts';

/**
 * POST /api/v1/batches splits one uploaded zip into dossiers by inflating its pieces into storage. Whatever it
 * refuses must leave nothing behind, and every zip rule intake applies to an archive holds for the batch zip and
 * for the archives inside it. Run against a real listening server.
 */

const MiB = 1024 * 1024;

/** Every file under the data folder with its size (staging leftovers included). */
async function filesUnder(root: string): Promise<Record<string, number>> {
  const found: Record<string, number> = {};
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (entry.isDirectory()) continue;
    const path = join(entry.parentPath, entry.name);
    found[relative(root, path)] = (await stat(path)).size;
  }
  return found;
}

interface Server {
  api: TestApi;
  base: string;
  officer: string;
}

async function startServer(maxUploadBytes: number, maxUploadFiles?: number): Promise<Server> {
  const api = await startTestApi({ maxUploadBytes, ...(maxUploadFiles ? { maxUploadFiles } : {}) });
  const base = await api.app.listen({ port: 0, host: '127.0.0.1' });
  const officer = await api.token('officer', { jurisdiction: 'municipal-template' });
  return { api, base, officer };
}

async function postBatch(server: Server, filename: string, content: Buffer) {
  const body = multipart({ city: 'municipal-template', stage: 'filing' }, [{ filename, content }]);
  const response = await fetch(`${server.base}/api/v1/batches`, {
    method: 'POST',
    headers: { ...bearer(server.officer), ...body.headers },
    body: new Uint8Array(body.payload),
  });
  return { status: response.status, body: (await response.json()) as { error?: { code: string; message: string }; id?: string } };
}

/** Posts a batch that must be refused, and checks that the data folder is exactly as it was before. */
async function expectRefusedLeavingNothing(server: Server, filename: string, content: Buffer) {
  const before = await filesUnder(server.api.dataDir);
  const dossiersBefore = ((await (await fetch(`${server.base}/api/v1/dossiers`, { headers: bearer(server.officer) })).json()) as { dossiers: unknown[] }).dossiers;
  const response = await postBatch(server, filename, content);
  expect(response.status, JSON.stringify(response.body)).toBeGreaterThanOrEqual(400);
  expect(response.status).toBeLessThan(500);
  expect(response.body.error?.message).toMatch(/\p{Script=Han}/u);
  expect(await filesUnder(server.api.dataDir)).toEqual(before);
  const listed = (await (await fetch(`${server.base}/api/v1/dossiers`, { headers: bearer(server.officer) })).json()) as { dossiers: unknown[] };
  expect(listed.dossiers).toEqual(dossiersBefore);
  return response;
}

/**
 * A stored inner zip, then its central-directory record repeated under other names of the same length, all pointing
 * at the one local header: a batch zip of many "dossiers" that are all the same bytes.
 */
function overlappingBatchZip(count: number): Buffer {
  const single = writeZip([{ name: 'p000.zip', data: textDossierZip(), method: 'store' }]);
  const eocdOffset = single.length - 22;
  const centralOffset = single.readUInt32LE(eocdOffset + 16);
  const record = single.subarray(centralOffset, eocdOffset);
  const central = Buffer.concat(
    Array.from({ length: count }, (_, index) => {
      const copy = Buffer.from(record);
      copy.write(`p${String(index).padStart(3, '0')}.zip`, 46, 'latin1');
      return copy;
    }),
  );
  const eocd = Buffer.from(single.subarray(eocdOffset));
  eocd.writeUInt16LE(count, 8);
  eocd.writeUInt16LE(count, 10);
  eocd.writeUInt32LE(central.length, 12);
  return Buffer.concat([single.subarray(0, centralOffset), central, eocd]);
}

describe('batch_bomb_2x30m.zip (a zip of two zips that inflate to 30 MB each)', () => {
  describe('with an upload limit of 16 MiB (it used to be split and its 60 MB kept for good)', () => {
    let server: Server;
    beforeAll(async () => {
      server = await startServer(16 * MiB);
    });
    afterAll(async () => server?.api.close());

    it('is refused at once with a Chinese 413 that names the total and the limit, and nothing stays in the data folder', async () => {
      const started = performance.now();
      const response = await expectRefusedLeavingNothing(server, 'batch_bomb_2x30m.zip', await readFile(hostileSample('batch_bomb_2x30m.zip')));
      console.info(`batch_bomb_2x30m.zip → ${response.status}，${(performance.now() - started).toFixed(0)} ms`);
      expect(response.status).toBe(413);
      expect(response.body.error).toMatchObject({ code: 'UPLOAD_TOO_LARGE' });
      expect(response.body.error!.message).toContain('批次中的材料解开后共 60 MiB，超过上传上限 16 MiB，已拒绝解压');
    });

    it('still accepts an ordinary zip of zips afterwards', async () => {
      const outer = writeZip([
        { name: '甲.zip', data: textDossierZip(), method: 'store', utf8Flag: true },
        { name: '乙.zip', data: textDossierZip(), method: 'store', utf8Flag: true },
      ]);
      const response = await postBatch(server, '两份.zip', outer);
      expect(response.status, JSON.stringify(response.body)).toBe(202);
      await server.api.processor.idle();
    });
  });

  describe('with an upload limit of 100 MiB (the inflated inner archives would fit)', () => {
    let server: Server;
    beforeAll(async () => {
      server = await startServer(100 * MiB);
    });
    afterAll(async () => server?.api.close());

    it('is refused as a zip bomb by its ratio, and nothing stays in the data folder', async () => {
      const response = await expectRefusedLeavingNothing(server, 'batch_bomb_2x30m.zip', await readFile(hostileSample('batch_bomb_2x30m.zip')));
      expect(response.status).toBe(413);
      expect(response.body.error!.message).toMatch(/批次压缩包疑似压缩炸弹（60 KiB 的压缩包声明解压后共 60 MiB，超过 200 倍的上限），已拒绝解压/);
    });
  });
});

describe('every zip rule holds for an archive given inside a batch', () => {
  let server: Server;
  beforeAll(async () => {
    server = await startServer(100 * MiB);
  });
  afterAll(async () => server?.api.close());

  it('bomb_overlap_10k.zip inside a zip of zips: its dossier reports the bomb, the other dossier is checked', async () => {
    const outer = writeZip([
      { name: '炸弹.zip', data: await readFile(hostileSample('bomb_overlap_10k.zip')), method: 'store', utf8Flag: true },
      { name: '正常.zip', data: textDossierZip(), method: 'store', utf8Flag: true },
    ]);
    const response = await postBatch(server, '批次.zip', outer);
    expect(response.status, JSON.stringify(response.body)).toBe(202);
    await server.api.processor.idle();
    const batch = (await (await fetch(`${server.base}/api/v1/batches/${response.body.id}`, { headers: bearer(server.officer) })).json()) as {
      rows: Array<{ dossier: string; dossierId: string; status: string }>;
    };
    // Nothing of the bomb's dossier can be read: it is 无法检查 (failed, with its report), never "15 items missing".
    expect(batch.rows.map((r) => `${r.dossier}: ${r.status}`).sort()).toEqual(['正常.zip: done', '炸弹.zip: failed']);
    const reportOf = async (name: string) => {
      const id = batch.rows.find((r) => r.dossier === name)!.dossierId;
      return (await (await fetch(`${server.base}/api/v1/dossiers/${id}/report`, { headers: bearer(server.officer) })).json()) as {
        files: unknown[];
        findings: Array<{ ruleId: string; message: string }>;
      };
    };
    const bomb = await reportOf('炸弹.zip');
    expect(bomb.files).toEqual([]);
    expect(bomb.findings).toContainEqual(expect.objectContaining({ ruleId: 'INTAKE_ZIP_BOMB', message: expect.stringContaining('疑似压缩炸弹') }));
    const normal = await reportOf('正常.zip');
    expect(normal.files.length).toBe(2);
    expect(normal.findings.map((f) => f.ruleId)).not.toContain('INTAKE_ZIP_BOMB');
    // Each dossier's work area is gone once it is checked: the data folder holds the two small inner zips and records.
    const stored = await filesUnder(server.api.dataDir);
    expect(Object.values(stored).reduce((sum, size) => sum + size, 0)).toBeLessThan(2 * MiB);
  });

  it('a batch zip whose entries all point at one block is refused before anything is stored', async () => {
    const response = await expectRefusedLeavingNothing(server, '重叠.zip', overlappingBatchZip(50));
    expect(response.status).toBe(400);
    expect(response.body.error!.message).toContain('批次压缩包疑似压缩炸弹（49 个条目的数据位置与其他条目重叠）');
  });

  it('a piece whose checksum does not match is refused as damaged, and the pieces stored before it are removed', async () => {
    const outer = writeZip([
      { name: '甲.zip', data: textDossierZip(), utf8Flag: true },
      { name: '乙.zip', data: textDossierZip(), utf8Flag: true, declaredCrc32: 0x12345678 },
    ]);
    const response = await expectRefusedLeavingNothing(server, '损坏.zip', outer);
    expect(response.status).toBe(400);
    expect(response.body.error!.message).toContain('批次压缩包中的“乙.zip”已损坏');
  });

  it('a zip of folders over the upload limit is refused the same way', async () => {
    const small = await startServer(256 * 1024);
    try {
      const filler = (seed: number) => Buffer.from(Array.from({ length: 200 * 1024 }, (_, i) => (i * 7919 + seed) % 251));
      const outer = writeZip([
        { name: '甲项目/可行性研究报告.txt', data: filler(1), method: 'store', utf8Flag: true },
        { name: '乙项目/可行性研究报告.txt', data: filler(2), method: 'store', utf8Flag: true },
      ]);
      // The upload itself is 400 KB: over the limit already, refused while receiving it.
      expect((await expectRefusedLeavingNothing(small, '两个项目.zip', outer)).status).toBe(413);
      const deflatedOuter = writeZip([
        { name: '甲项目/说明.txt', data: Buffer.alloc(200 * 1024, 0x41), utf8Flag: true },
        { name: '乙项目/说明.txt', data: Buffer.alloc(200 * 1024, 0x42), utf8Flag: true },
      ]);
      const response = await expectRefusedLeavingNothing(small, '两个项目.zip', deflatedOuter);
      expect(response.status).toBe(413);
      expect(response.body.error!.message).toContain('超过上传上限 256 KiB');
    } finally {
      await small.api.close();
    }
  });

  it('counts the pieces of a split against the upload file limit', async () => {
    const few = await startServer(100 * MiB, 2);
    try {
      const outer = writeZip(['甲', '乙', '丙'].map((name) => ({ name: `${name}.zip`, data: textDossierZip(), method: 'store' as const, utf8Flag: true })));
      const response = await expectRefusedLeavingNothing(few, '三份.zip', outer);
      expect(response.status).toBe(413);
      expect(response.body.error).toMatchObject({ code: 'UPLOAD_TOO_MANY_FILES' });
      expect(response.body.error!.message).toContain('批次压缩包中有 3 个文件，超过上限 2 个');
    } finally {
      await few.api.close();
    }
  });

  it('never stores an escaping, linked or encrypted entry as a dossier', async () => {
    const outer = writeZip([
      { name: '../逃逸.zip', data: textDossierZip(), utf8Flag: true },
      { name: '链接.zip', data: '/etc/passwd', externalAttributes: SYMLINK_ATTRIBUTES, utf8Flag: true },
      { name: '加密.zip', data: textDossierZip(), encrypted: true, utf8Flag: true },
      { name: '甲.zip', data: textDossierZip(), utf8Flag: true },
      { name: '乙.zip', data: textDossierZip(), utf8Flag: true },
    ]);
    const response = await postBatch(server, '混合.zip', outer);
    expect(response.status, JSON.stringify(response.body)).toBe(202);
    const batch = (await (await fetch(`${server.base}/api/v1/batches/${response.body.id}`, { headers: bearer(server.officer) })).json()) as {
      layout: string;
      rows: Array<{ dossier: string }>;
    };
    expect(batch.layout).toBe('zips');
    expect(batch.rows.map((r) => r.dossier).sort()).toEqual(['乙.zip', '甲.zip']);
    await server.api.processor.idle();
  });
});
