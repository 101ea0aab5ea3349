import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDossierWorker, type DistributedConfig, type DossierWorker } from '../../pipeline/queue/index.ts';
import { CompletenessReportSchema } from '../../pipeline/report/schema.ts';
import { startS3Server, type TestS3Server } from '../helpers/s3-server.ts';
import { textDossier } from './support/dossiers.ts';
import { configEnv, purgePrefix, runCli, s3StorageConfig, SHARED_REDIS_URL, testConfig, uniquePrefix } from './support/environment.ts';

describe('when `dossier submit` is used', () => {
  let s3: TestS3Server;
  let config: DistributedConfig;
  let worker: DossierWorker;
  let archive: string;
  let dataDir: string;

  beforeAll(async () => {
    s3 = await startS3Server();
    config = testConfig({ prefix: uniquePrefix('cli'), storage: s3StorageConfig(s3, 'submit-cli') });
    worker = startDossierWorker({ config });
    archive = await textDossier({ seed: 71 });
    dataDir = await mkdtemp(path.join(tmpdir(), 'submit-embedded-'));
  });

  afterAll(async () => {
    await worker?.close();
    if (config) await purgePrefix(SHARED_REDIS_URL, config.queue.prefix);
    await s3?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  const args = () => ['submit', archive, '--city', 'municipal-template', '--stage', 'filing'];

  it('with --wait shows progress on stderr, prints the report and exits like `check` (1: incomplete)', async () => {
    const cli = runCli([...args(), '--wait', '--format', 'json'], configEnv(config));
    expect(await cli.exited).toMatchObject({ code: 1 });
    const report = CompletenessReportSchema.parse(JSON.parse(cli.stdout()));
    expect(report.complete).toBe(false);
    expect(report.files).toHaveLength(3);
    expect(cli.stderr()).toMatch(/已提交案卷 d-[0-9a-f]{32}：3 个文件，3 个提取任务/);
    expect(cli.stderr()).toMatch(/文件 3\/3/);
    expect(cli.stderr()).toMatch(/需补正（\d+ 项必须补正/);
  });

  it('without --wait prints the dossier id, and a resubmission names the same dossier', async () => {
    const cli = runCli(args(), configEnv(config));
    expect(await cli.exited).toMatchObject({ code: 0 });
    const dossierId = cli.stdout().trim();
    expect(dossierId).toMatch(/^d-[0-9a-f]{32}$/);
    expect(cli.stderr()).toContain(`沿用案卷 ${dossierId}（已完成）`);
  });

  it('without REDIS_URL checks in this process, as `check` does', async () => {
    const cli = runCli([...args(), '--wait'], { DATA_DIR: dataDir });
    expect(await cli.exited).toMatchObject({ code: 1 });
    expect(cli.stderr()).toContain('未设置 REDIS_URL：在本机直接检查');
    expect(cli.stdout()).toContain('# 材料完整性检查报告');
  });
});
