import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkedDossier, startTestApi, textDossierZip, type TestApi } from '../api/harness.ts';
import { dossier as runDossier } from './run.ts';

/**
 * `dossier supplement <id> <files…>`: a 补正 round on a dossier the server keeps, from the command line against the
 * server's data folder, printing the new verdict and what changed in Chinese.
 */

describe('dossier supplement', () => {
  let api: TestApi;
  let id: string;
  let files: string;

  /** The CLI against the server's own data folder, in the embedded mode (no Redis). */
  const dossier = (args: string[]) => runDossier(args, { env: { DATA_DIR: api.dataDir, STORAGE: 'local', REDIS_URL: undefined } });

  beforeAll(async () => {
    api = await startTestApi();
    const unit = await api.token('unit', { unit: '青禾市档案馆' });
    id = await checkedDossier(api, unit, { zip: textDossierZip(), facts: { filingStep: 'approval' } });
    files = await mkdtemp(join(tmpdir(), 'supplement-cli-'));
    await writeFile(join(files, '需求分析报告.txt'), '青禾市智慧档案管理系统建设项目需求分析报告\n第一章 需求概述\n本报告分析档案管理业务需求。\n');
  });
  afterAll(async () => {
    await api?.close();
    if (files) await rm(files, { recursive: true, force: true });
  });

  it('adds the missing 需求分析报告 as round 2 and says what changed', async () => {
    const result = await dossier(['supplement', id, join(files, '需求分析报告.txt'), '--by', '张三']);
    expect(result.stderr).toContain('第 2 轮补正已收到');
    expect(result.stdout).toMatch(/^第 2 轮补正检查完成：/);
    expect(result.stdout).toContain('新增文件：需求分析报告.txt');
    expect(result.stdout).toMatch(/新满足：[^\n]*（MT-F03）/);
    // The exit code follows the new verdict: 0 材料齐全, 1 需补正.
    expect(result.code).toBe(/检查完成：材料齐全/.test(result.stdout) ? 0 : 1);
  });

  it('withdraws it again as round 3, from the state round 2 left', async () => {
    const result = await dossier(['supplement', id, '--withdraw', '需求分析报告.txt']);
    expect(result.stdout).toMatch(/^第 3 轮补正检查完成：需补正/);
    expect(result.stdout).toContain('撤回文件：需求分析报告.txt');
    expect(result.stdout).toMatch(/新缺少：[^\n]*（MT-F03）/);
    expect(result.code).toBe(1);
  });

  it('refuses to withdraw a file the dossier does not have, with exit code 2 and a Chinese message', async () => {
    const result = await dossier(['supplement', id, '--withdraw', '没有这个文件.pdf']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('材料中没有“没有这个文件.pdf”');
  });

  it('refuses an unknown dossier', async () => {
    const result = await dossier(['supplement', 'd_nothing', join(files, '需求分析报告.txt')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('没有编号为 d_nothing 的材料');
  });
});
