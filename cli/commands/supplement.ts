import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { Command } from 'commander';
import { getSharedOcrPool } from '../../pipeline/index.ts';
import { roundFileKey, type BlobStore } from '../../storage/index.ts';
import { apiConfigFromEnv, parseApiConfig } from '../../api/config.ts';
import { createContext, type AppContext } from '../../api/context.ts';
import { ApiError } from '../../api/errors.ts';
import type { DossierRepository } from '../../api/dossiers/records.ts';
import { currentRoundNumber, describeRoundDiff, startRound } from '../../api/dossiers/rounds.ts';
import { uploadPath, type StoredUpload } from '../../api/dossiers/upload.ts';
import { EmbeddedProcessor } from '../../api/processing/embedded.ts';
import type { DossierProcessor } from '../../api/processing/processor.ts';
import { UsageError } from '../errors.ts';
import { EXIT_USAGE, exitCodeOf } from '../exit-codes.ts';

/**
 * `dossier supplement`: a 补正 round on a dossier the server keeps, from the command line, against the same storage
 * (DATA_DIR, or S3 with STORAGE=s3). The round is checked here (embedded), or by the queue's workers when REDIS_URL is
 * set, exactly as a round sent to the API. Meant for operators on the server; a running embedded server should be
 * restarted afterwards, since it trusts the records it holds in memory.
 */
export function registerSupplementCommand(program: Command): void {
  program
    .command('supplement')
    .description('补正：向服务器上已检查的材料补充、替换或撤回文件，作为新一轮重新检查（只提取新文件），输出新结论及与上一轮相比的变化')
    .argument('<dossier-id>', '材料编号（API 中的 id，如 d_…）')
    .argument('[files...]', '补充的文件（放在材料顶层；与已有文件同名即替换它）')
    .option('--replace <path=file>', '用本地文件替换材料中的文件，可重复，如 --replace 立项/可研.pdf=./可研修订稿.pdf', collect, [])
    .option('--withdraw <path>', '撤回材料中的文件，可重复（路径同报告“文件清单”）', collect, [])
    .option('--by <name>', '提交人（记录在这一轮中）', '命令行')
    .action(async (id: string, files: string[], opts: { replace: string[]; withdraw: string[]; by: string }) => {
      // The server's own context: its storage, its record store and its processor (the queue when REDIS_URL is set).
      const config = parseApiConfig(apiConfigFromEnv());
      const ctx = await createContext(config, {
        ocr: getSharedOcrPool(),
        processor: config.redisUrl
          ? async (parts) => (await import('../../api/processing/distributed.ts')).DistributedProcessor.connect({ ...parts, env: process.env })
          : undefined,
      });
      try {
        await supplement(ctx, id, files, opts);
      } finally {
        await ctx.close();
      }
    });
}

async function supplement(ctx: AppContext, id: string, files: string[], opts: { replace: string[]; withdraw: string[]; by: string }): Promise<void> {
  const { store, repo } = ctx;
  const record = await repo.get(id);
  if (!record) throw new UsageError(`没有编号为 ${id} 的材料（存储：${store.kind}）`);
  const n = currentRoundNumber(record) + 1;
  const sources = [
    ...files.map((file) => ({ file, path: safePath(basename(file)) })),
    ...opts.replace.map((spec) => {
      const at = spec.lastIndexOf('=');
      if (at <= 0 || at === spec.length - 1) throw new UsageError(`--replace 应写成“材料中的路径=本地文件”：${spec}`);
      return { file: spec.slice(at + 1), path: safePath(spec.slice(0, at)) };
    }),
  ];
  const uploads: StoredUpload[] = [];
  try {
    for (const source of sources) uploads.push(await storeFile(store, source.file, roundFileKey(id, n, source.path), source.path));
    await startRound(repo, id, n, uploads, { replace: opts.replace.map((spec) => spec.slice(0, spec.lastIndexOf('='))), withdraw: opts.withdraw, by: opts.by });
  } catch (error) {
    await Promise.all(uploads.map((u) => store.delete(u.key).catch(() => undefined)));
    if (error instanceof ApiError) throw new UsageError(error.message);
    throw error;
  }
  process.stderr.write(`第 ${n} 轮补正已收到，正在检查…\n`);
  await ctx.processor.submit(id);
  const done = await waitFinished(repo, id, ctx.processor);
  if (done.status !== 'done') {
    process.stdout.write(`第 ${n} 轮补正检查未完成：${done.error?.message ?? done.progress.message}\n`);
    process.exitCode = EXIT_USAGE;
    if (done.error?.code !== 'DOSSIER_UNCHECKABLE') return;
  }
  const round = done.rounds?.find((r) => r.n === n);
  process.stdout.write(`第 ${n} 轮补正检查完成：${round?.verdict ?? done.result?.verdict ?? ''}\n`);
  if (round?.diff) for (const line of describeRoundDiff(n, round.diff).slice(1)) process.stdout.write(`  ${line}\n`);
  const report = await repo.getReport(id);
  if (report) process.exitCode = exitCodeOf(report.verdict.outcome);
}

function safePath(path: string): string {
  try {
    return uploadPath(path);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

async function storeFile(store: BlobStore, file: string, key: string, path: string): Promise<StoredUpload> {
  const info = await stat(file).catch(() => null);
  if (!info?.isFile()) throw new UsageError(`找不到文件“${file}”`);
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  await store.put(key, createReadStream(file));
  return { path, key, size: info.size, sha256: hash.digest('hex') };
}

async function waitFinished(repo: DossierRepository, id: string, processor: DossierProcessor) {
  if (processor instanceof EmbeddedProcessor) await processor.idle();
  for (;;) {
    const record = await repo.get(id);
    if (!record) throw new UsageError('材料在检查过程中被删除');
    if (record.status === 'done' || record.status === 'failed') return record;
    await sleep(500);
  }
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
