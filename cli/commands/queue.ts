import { writeFile } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import type { DossierStatus } from '../../pipeline/queue/index.ts';
import { describeWorkerCpuPlan, MAX_CORES, loadChecklist, getSharedOcrPool, checkDossier, localExtractionCache, parseFactArguments, parseTypeArguments, parseSegmentArguments, renderHtml, renderMarkdown, type CompletenessReport } from '../../pipeline/index.ts';
import { UsageError } from '../errors.ts';
import { integerOption } from '../numeric-options.ts';
import { Progress } from '../progress.ts';
import { exitCodeOf } from '../exit-codes.ts';


/**
 * The queue (BullMQ, ioredis) and the object store (minio): about half a second to load, so only `worker` and a
 * `submit` that queues load them, not every `dossier` command.
 */
async function queueModules() {
  const [queue, storage] = await Promise.all([import('../../pipeline/queue/index.ts'), import('../../storage/index.ts')]);
  return { ...queue, createBlobStore: storage.createBlobStore };
}

type ReportFormat = 'json' | 'md' | 'html';

interface SubmitOptions {
  city?: string;
  checklist?: string;
  stage: 'filing' | 'acceptance';
  fact: string[];
  type: string[];
  pages: string[];
  wait?: boolean;
  format: ReportFormat;
  out?: string;
  timeout?: number;
  config?: string;
}

/** `dossier worker` and `dossier submit`: the distributed mode (BullMQ on Redis, objects in S3/MinIO). */
export function registerQueueCommands(program: Command): void {
  program
    .command('worker')
    .description('启动分布式模式的工作进程：从 Redis 队列领取任务（提取、OCR、出报告），读写对象存储')
    .option('--config <file>', '配置文件（YAML/JSON）；默认读取环境变量 DOSSIER_CONFIG 指向的文件')
    .option(
      '--concurrency <n>',
      `可用的 CPU 核数（1 到 ${MAX_CORES} 的整数，覆盖 WORKER_CONCURRENCY；与 dossier batch --concurrency 含义相同）：同时处理的任务数 × 每个任务的 OCR 线程数（OCR_THREADS_PER_JOB）不超过它；默认为本机核数`,
      integerOption('--concurrency', { min: 1, max: MAX_CORES }),
    )
    .action(async (opts: { config?: string; concurrency?: number }) => {
      const { loadDistributedConfig, requireRedisUrl, startDossierWorker, redactRedisUrl, createBlobStore } = await queueModules();
      const config = loadDistributedConfig({ file: opts.config });
      if (opts.concurrency !== undefined) config.queue.concurrency = opts.concurrency;
      const redisUrl = requireRedisUrl(config.redis, 'dossier worker ');
      const log = (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);
      const handle = startDossierWorker({ config, log });
      const stopped = new Promise<void>((resolve) => {
        const stop = (signal: NodeJS.Signals) => {
          log(`收到 ${signal}：不再领取新任务，等待进行中的任务完成（最多 ${Math.round(config.queue.shutdownGraceMs / 1000)} 秒）…`);
          void handle.close().then(resolve);
        };
        process.once('SIGTERM', stop);
        process.once('SIGINT', stop);
      });
      const waitingNote = setTimeout(() => log(`正在等待 Redis（${redactRedisUrl(redisUrl)}）…`), config.redis.connectTimeoutMs);
      await Promise.race([handle.worker.waitUntilReady(), stopped]);
      clearTimeout(waitingNote);
      log(
        `工作进程已启动：${describeWorkerCpuPlan(handle.plan)}，Redis ${redactRedisUrl(redisUrl)}，队列前缀 ${config.queue.prefix}，` +
          `存储 ${createBlobStore(config.storage).location}`,
      );
      await stopped;
      log('工作进程已停止');
    });

  program
    .command('submit')
    .description('提交材料包到分布式队列检查；设置了 REDIS_URL 时由工作进程处理，否则在本机直接检查')
    .argument('<archive>', '压缩包、文件夹或单个文件')
    .option('--city <id>', '地市（changde、yiyang、shenyang、shucheng、municipal-template）')
    .option('--checklist <file>', '自定义检查清单文件（YAML/JSON）')
    .addOption(new Option('--stage <stage>', '阶段').choices(['filing', 'acceptance']).makeOptionMandatory())
    .option('--fact <name=value>', '声明项目事实，可重复，如 --fact major=true', collect, [])
    .option('--type <path=docType>', '人工指定文件的材料类型（覆盖自动识别），可重复，写法同 dossier check --type', collect, [])
    .option('--pages <path=起始页,…>', '人工指定一个文件中各份材料的起始页（覆盖自动分段），可重复，写法同 dossier check --pages', collect, [])
    .option('--wait', '等待检查完成：进度写到标准错误，报告写到标准输出或 --out')
    .addOption(new Option('--format <format>', '报告格式（配合 --wait）').choices(['json', 'md', 'html']).default('md'))
    .option('--out <file>', '报告写入文件（配合 --wait）')
    .option('--timeout <seconds>', '--wait 最长等待的秒数（默认一直等）', integerOption('--timeout', { min: 1 }))
    .option('--config <file>', '配置文件（YAML/JSON）；默认读取环境变量 DOSSIER_CONFIG 指向的文件')
    .action(async (archive: string, opts: SubmitOptions) => {
      const checklist = opts.checklist ?? opts.city;
      if (!checklist) throw new UsageError('请用 --city 指定地市，或用 --checklist 指定检查清单文件');
      loadChecklist(checklist);
      const facts = parseFactArguments(opts.fact);
      const corrections = parseTypeArguments(opts.type);
      const segmentations = parseSegmentArguments(opts.pages);
      const { loadDistributedConfig, connectRedis, DossierQueue, createBlobStore } = await queueModules();
      const config = loadDistributedConfig({ file: opts.config });

      if (config.redis.url === undefined) {
        process.stderr.write('未设置 REDIS_URL：在本机直接检查（与 dossier check 相同）\n');
        const report = await checkDossier({ input: archive, checklist, stage: opts.stage, facts, corrections, segmentations, ocr: getSharedOcrPool(), cache: localExtractionCache() });
        await emitReport(report, opts);
        return;
      }

      const connection = await connectRedis(config.redis);
      const queue = new DossierQueue({ store: createBlobStore(config.storage), connection, settings: config.queue });
      try {
        const submission = await queue.submit({ archivePath: archive, checklist, stage: opts.stage, facts, corrections, segmentations });
        process.stderr.write(
          submission.reused
            ? `相同材料和选项已提交过，沿用案卷 ${submission.dossierId}（${STATE_LABEL[submission.state]}）\n`
            : `已提交案卷 ${submission.dossierId}：${submission.files} 个文件，${submission.extractJobs} 个提取任务，上传 ${submission.uploaded} 个对象\n`,
        );
        if (!opts.wait) {
          process.stdout.write(`${submission.dossierId}\n`);
          return;
        }
        const progress = new ProgressPrinter();
        const report = await queue.waitForReport(submission.dossierId, {
          timeoutMs: opts.timeout === undefined ? undefined : opts.timeout * 1000,
          onProgress: (status) => progress.show(status),
        });
        progress.done();
        await emitReport(report, opts);
      } finally {
        await queue.close();
        connection.disconnect();
      }
    });
}

const STATE_LABEL: Record<DossierStatus['state'], string> = {
  queued: '排队中',
  running: '处理中',
  completed: '已完成',
  failed: '失败',
  unknown: '状态未知',
};

async function emitReport(report: CompletenessReport, opts: Pick<SubmitOptions, 'format' | 'out'>): Promise<void> {
  const text = opts.format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : opts.format === 'html' ? renderHtml(report) : renderMarkdown(report);
  const verdict = report.verdict.text;
  if (opts.out) {
    await writeFile(opts.out, text);
    process.stderr.write(`报告已写入 ${opts.out}：${verdict}\n`);
  } else {
    process.stdout.write(text);
    process.stderr.write(`${verdict}\n`);
  }
  process.exitCode = exitCodeOf(report.verdict.outcome);
}

/** A bar on a terminal; on a pipe, one line whenever the numbers change (so logs show progress too). */
class ProgressPrinter {
  private readonly bar = process.stderr.isTTY ? new Progress() : undefined;
  private last = '';

  show(status: DossierStatus & { waitingForRedis?: boolean }): void {
    const text = status.waitingForRedis
      ? '暂时连不上 Redis，继续等待…'
      : `${STATE_LABEL[status.state]}：文件 ${status.filesDone}/${status.filesTotal}，已 OCR ${status.ocrPages} 页`;
    if (text === this.last) return;
    this.last = text;
    if (this.bar && !status.waitingForRedis) this.bar.bar(status.filesDone, status.filesTotal, `OCR ${status.ocrPages} 页`);
    else if (this.bar) this.bar.update(text);
    else process.stderr.write(`${text}\n`);
  }

  done(): void {
    this.bar?.done();
  }
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
