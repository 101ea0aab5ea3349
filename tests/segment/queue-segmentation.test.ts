import { createRequire } from 'node:module';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import PDFDocument from 'pdfkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DossierQueue, startDossierWorker, type DistributedConfig, type DossierWorker } from '../../pipeline/queue/index.ts';
import { CompletenessReportSchema, type CompletenessReport } from '../../pipeline/report/schema.ts';
import { createBlobStore } from '../../storage/index.ts';
import { startS3Server, type TestS3Server } from '../helpers/s3-server.ts';
import { configEnv, purgePrefix, runCli, s3StorageConfig, SHARED_REDIS_URL, testConfig, uniquePrefix } from '../queue/support/environment.ts';

/**
 * An officer's page starts reach the distributed run (BullMQ on the real Redis, objects in S3 through s3rver) on its
 * first run, not only on a re-check from the cache: through the queue client (the API's distributed processor passes
 * the record's segmentations to it) and through `dossier submit --pages`.
 */

const NAME = '资料合订本.pdf';
const body = '本项目按照建设方案组织实施，各项工作均已按计划完成，系统运行稳定，相关数据已迁移完毕。';
// Two documents with nothing that marks the second start: its title stands bare at the top of page 3.
const PAGES = [
  ['某市政务服务平台建设项目可行性研究报告', '编制单位：某咨询有限公司', '2025年3月', '第一章 总论', body],
  ['第二章 建设必要性', body],
  ['某市政务服务平台建设项目实施方案', '第一章 建设目标', body],
  ['第二章 实施计划', body],
];

async function textVolume(): Promise<Buffer> {
  const require = createRequire(import.meta.url);
  const font = path.join(path.dirname(require.resolve('@embedpdf/fonts-sc')), '..', 'fonts', 'NotoSansHans-Regular.otf');
  const doc = new PDFDocument({ size: 'A4', margin: 72, autoFirstPage: false, info: { Producer: 'PDFKit', CreationDate: new Date('2025-03-20T09:00:00+08:00') } });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('cjk', font);
  for (const lines of PAGES) {
    doc.addPage();
    doc.font('cjk').fontSize(12);
    for (const line of lines) doc.text(line, { lineGap: 6 });
  }
  doc.end();
  return finished;
}

const split = (r: CompletenessReport) => r.files.find((f) => f.path === NAME)!.segments.map((s) => [s.firstPage, s.lastPage, s.boundary, s.docTypes[0]?.id]);
const planRows = (r: CompletenessReport) => r.requirements.filter((x) => x.status === 'satisfied' && x.evidence.some((e) => e.docType === 'implementation_plan'));

describe('when an officer gives page starts to a distributed check', () => {
  let s3: TestS3Server;
  let config: DistributedConfig;
  let worker: DossierWorker;
  let queue: DossierQueue;
  let connection: Redis;
  let root: string;
  let folder: string;

  beforeAll(async () => {
    s3 = await startS3Server();
    config = testConfig({ prefix: uniquePrefix('pages'), storage: s3StorageConfig(s3, 'segment-pages') });
    worker = startDossierWorker({ config });
    connection = new Redis(SHARED_REDIS_URL, { maxRetriesPerRequest: null });
    queue = new DossierQueue({ store: createBlobStore(config.storage), connection, settings: config.queue });
    root = await mkdtemp(path.join(tmpdir(), 'queue-pages-'));
    folder = path.join(root, '合订材料');
    await mkdir(folder, { recursive: true });
    await writeFile(path.join(folder, NAME), await textVolume());
  });

  afterAll(async () => {
    await queue?.close();
    connection?.disconnect();
    await worker?.close();
    if (config) await purgePrefix(SHARED_REDIS_URL, config.queue.prefix);
    await s3?.stop();
    await rm(root, { recursive: true, force: true });
  });

  it('the worker splits the file where the officer said on the first run, and the same files without starts are another dossier', async () => {
    const plain = await queue.submit({ archivePath: folder, checklist: 'changde', stage: 'acceptance' });
    const withStarts = await queue.submit({ archivePath: folder, checklist: 'changde', stage: 'acceptance', segmentations: [{ path: NAME, starts: [1, 3] }] });
    expect(withStarts.dossierId).not.toBe(plain.dossierId);
    expect(withStarts.reused).toBe(false);

    const before = await queue.waitForReport(plain.dossierId, { timeoutMs: 120_000 });
    expect(before.files.find((f) => f.path === NAME)!.segments).toEqual([]);
    expect(planRows(before)).toEqual([]);

    const after = await queue.waitForReport(withStarts.dossierId, { timeoutMs: 120_000 });
    expect(split(after)).toEqual([
      [1, 2, 'officer', 'feasibility_report'],
      [3, 4, 'officer', 'implementation_plan'],
    ]);
    expect(planRows(after)[0]!.evidence[0]).toMatchObject({ path: NAME, pageRange: { first: 3, last: 4 } });
  }, 300_000);

  it('refuses page starts for a file the dossier does not hold, before anything is queued', async () => {
    await expect(queue.submit({ archivePath: folder, checklist: 'changde', stage: 'acceptance', segmentations: [{ path: '不存在.pdf', starts: [1, 2] }] })).rejects.toThrow(/不存在\.pdf/);
  });

  it('`dossier submit --pages` carries the starts to the worker', async () => {
    const cli = runCli(['submit', folder, '--city', 'changde', '--stage', 'acceptance', '--pages', `${NAME}=1,3`, '--wait', '--format', 'json'], configEnv(config));
    await cli.exited;
    const report = CompletenessReportSchema.parse(JSON.parse(cli.stdout()));
    expect(split(report)).toEqual([
      [1, 2, 'officer', 'feasibility_report'],
      [3, 4, 'officer', 'implementation_plan'],
    ]);
  }, 300_000);
});
