import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { makeDocument, PROFILES } from '../fixtures/dossiers/documents.ts';
import { renderOfd } from '../fixtures/ofd/writer.ts';
import { REPO_ROOT, sharedPath } from '../helpers/shared-data.ts';

const run = promisify(execFile);
const BIN = join(REPO_ROOT, 'bin', 'dossier.mjs');

async function extract(args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, [BIN, 'extract', ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, DATA_DIR: await mkdtemp(join(tmpdir(), 'ofd-cli-cache-')) },
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout;
}

async function check(args: string[]): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await run(process.execPath, [BIN, 'check', ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, DATA_DIR: await mkdtemp(join(tmpdir(), 'ofd-cli-cache-')) },
      maxBuffer: 16 * 1024 * 1024,
    });
    return { code: 0, stdout };
  } catch (error) {
    const e = error as { code: number; stdout: string };
    return { code: e.code, stdout: e.stdout };
  }
}

describe('dossier check on a dossier holding an OFD', () => {
  it('counts a generated 立项批复 saved as OFD towards the 批准建设文件 row', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'ofd-check-'));
    const profile = Object.values(PROFILES).flat().find((p) => p.city === 'changde')!;
    await writeFile(join(folder, '文件.ofd'), renderOfd(makeDocument('approval_document', profile)));
    const r = await check([folder, '--city', 'changde', '--stage', 'acceptance', '--format', 'json']);
    expect(r.code).toBe(1); // one document is far from a complete acceptance dossier
    const report = JSON.parse(r.stdout) as {
      files: { path: string; kind: string; docTypes: { id: string }[] }[];
      requirements: { id: string; status: string }[];
    };
    expect(report.files).toEqual([expect.objectContaining({ path: '文件.ofd', kind: 'ofd', docTypes: [expect.objectContaining({ id: 'approval_document' })] })]);
    expect(report.requirements.find((q) => q.id === 'CD-A03')?.status).toBe('satisfied');
  }, 60_000);
});

describe('dossier extract on an OFD', () => {
  const gongwen = sharedPath('samples', 'real', 'ofd', 'ofdrw_n_gongwen_iofd.ofd');

  it('prints the 公文’s text: kind, pages, 文号 and title', async () => {
    const out = await extract([gongwen]);
    expect(out).toContain('类型 ofd｜状态 ok｜页数 2｜OCR 页 0');
    expect(out).toContain('测试符路桥区卫生局文件 路卫发〔2011〕76号 关于同意张阿三同志辞职的批复');
  }, 60_000);

  it('gives every page and the electronic seal in JSON, read in the isolated reader process', async () => {
    const result = JSON.parse(await extract([gongwen, '--format', 'json'])) as {
      files: { file: { kind: string }; doc: { pages: { text: string }[]; electronicSeals?: { name?: string; page?: number }[] } }[];
    };
    const [file] = result.files;
    expect(file!.file.kind).toBe('ofd');
    expect(file!.doc.pages[1]!.text).toContain('2011年3月10日印发');
    expect(file!.doc.electronicSeals).toEqual([expect.objectContaining({ name: '某某省人力资源和社会测试章', page: 2 })]);
  }, 60_000);

  it('OCRs the pages of the real image-only OFD from the reader process through the shared OCR pool', async () => {
    const out = await extract([sharedPath('samples', 'real', 'ofd', 'ofdrw_containsJPEG_imageonly_wps.ofd')]);
    expect(out).toContain('类型 ofd｜状态 empty');
    expect(out).toContain('页数 2｜OCR 页 2');
    expect(out).toContain('第 1–2 页没有文字对象（仅有图像），文字由 OCR 识别');
  }, 120_000);

  it('reads a generated approval saved as OFD inside a dossier folder', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'ofd-cli-'));
    const document = makeDocument('approval_document', Object.values(PROFILES).flat()[0]!);
    await writeFile(join(folder, '立项批复.ofd'), renderOfd(document));
    const out = await extract([folder]);
    expect(out).toContain('立项批复.ofd');
    expect(out).toContain(document.title);
  }, 60_000);
});
