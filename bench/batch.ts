/**
 * Issue 14's throughput across dossiers: `dossier batch` over forty dossiers — the six sample dossiers of
 * ../shared/samples/dossiers copied round-robin into one temporary folder (7 copies of sample-01 … sample-04, 6 of
 * sample-05 and -06) — through runBatch, the function `dossier batch` calls, with the CLI's default: `--concurrency` = the
 * machine's cores, from which runBatch sizes the process's shared OCR pool, the readers busy at once and the dossiers in
 * flight (pipeline/cpu-plan.ts).
 * No extraction cache: the copies are byte-identical, and the CLI's cache would read 34 of the 40 from the first six;
 * here every dossier is read cold. All forty are checked against one checklist (常德, 竣工验收), as one batch is.
 * Reported: dossiers per minute, wall time, CPU-seconds of this process and its reader processes, load average.
 *
 *   npx tsx bench/batch.ts                          40 dossiers, --concurrency = cores; writes bench/results/batch.json
 *   BENCH_BATCH_DOSSIERS=12 BENCH_BATCH_CONCURRENCY=1 npx tsx bench/batch.ts     other sizes
 */
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { closeSharedOcrPool, getSharedOcrPool } from '../extractors/ocr/index.ts';
import { sharedIsolatedExtraction } from '../extractors/isolation/isolated-extraction.ts';
import { runBatch } from '../pipeline/batch.ts';
import { defaultCores, type CpuPlan } from '../pipeline/cpu-plan.ts';

const SAMPLES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'shared', 'samples', 'dossiers');
const DOSSIERS = Number(process.env.BENCH_BATCH_DOSSIERS) || 40;
/** The CLI's default for `dossier batch --concurrency`: the machine's cores. */
const CONCURRENCY = Number(process.env.BENCH_BATCH_CONCURRENCY) || defaultCores();
const CLOCK_TICKS_PER_SECOND = 100;

export interface BatchBenchResult {
  dossiers: number;
  distinctSamples: number;
  concurrency: number;
  ocrWorkers: number;
  /** How --concurrency was shared out (cpu-plan.ts). */
  plan: CpuPlan;
  seconds: number;
  dossiersPerMinute: number;
  /** This process (OCR threads included), its reaped children and its live reader processes. */
  cpuSeconds: number;
  coresObtained: number;
  checked: number;
  failed: number;
  readers: { started: number; filesRead: number };
  loadBefore: number[];
  loadAfter: number[];
  cpus: number;
}

/** The sample dossiers: each folder's archive, or the folder of files itself where there is no archive. */
async function sampleDossiers(): Promise<string[]> {
  const folders = (await readdir(SAMPLES_DIR, { withFileTypes: true }).catch(() => {
    throw new Error(`找不到样例材料包目录 ${SAMPLES_DIR}（应为仓库旁的 shared/samples/dossiers）`);
  }))
    .filter((entry) => entry.isDirectory() && entry.name.startsWith('sample-'))
    .map((entry) => join(SAMPLES_DIR, entry.name))
    .sort();
  const dossiers: string[] = [];
  for (const folder of folders) {
    const entries = (await readdir(folder, { withFileTypes: true })).filter((e) => e.name !== 'truth.json');
    const archive = entries.find((e) => e.isFile() && /\.(zip|rar|7z)$/i.test(e.name));
    const subfolder = entries.find((e) => e.isDirectory());
    const chosen = archive ?? subfolder;
    if (!chosen) throw new Error(`样例 ${folder} 中既没有压缩包也没有材料文件夹`);
    dossiers.push(join(folder, chosen.name));
  }
  if (dossiers.length === 0) throw new Error(`${SAMPLES_DIR} 中没有样例材料包`);
  return dossiers;
}

async function ticksOf(pid: number | 'self'): Promise<{ own: number; children: number }> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { own: Number(fields[11]) + Number(fields[12]), children: Number(fields[13]) + Number(fields[14]) };
}

/** CPU-seconds so far of this process, the children it has reaped, and the live readers. */
async function cpuSecondsSoFar(): Promise<number> {
  const self = await ticksOf('self');
  let readers = 0;
  for (const pid of sharedIsolatedExtraction().pids()) readers += await ticksOf(pid).then((t) => t.own + t.children, () => 0);
  return (self.own + self.children + readers) / CLOCK_TICKS_PER_SECOND;
}

export async function runBatchBench(options: { log?: (line: string) => void; writeJson?: boolean } = {}): Promise<BatchBenchResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const root = await mkdtemp(join(tmpdir(), 'batch-bench-'));
  try {
    const samples = await sampleDossiers();
    const input = join(root, 'input');
    await mkdir(input);
    for (let i = 0; i < DOSSIERS; i++) {
      const sample = samples[i % samples.length]!;
      const name = `${String(i + 1).padStart(2, '0')}-${dirname(sample).split(/[\\/]/).pop()}${extname(sample)}`;
      await cp(sample, join(input, name), { recursive: true });
    }
    // runBatch sizes the shared pool from --concurrency as the CLI does; one left by an earlier part would be refused.
    await closeSharedOcrPool();
    let ocrWorkers = 0;
    let plan: CpuPlan | undefined;
    const loadBefore = loadavg().map((l) => Number(l.toFixed(2)));
    const cpuStart = await cpuSecondsSoFar();
    const started = performance.now();
    let cpuSeconds = 0;
    let seconds = 0;
    let summary;
    try {
      summary = await runBatch({
        folder: input,
        outDir: join(root, 'out'),
        checklist: 'changde',
        stage: 'acceptance',
        facts: {},
        concurrency: CONCURRENCY,
        onPlan: (p) => {
          plan = p;
          ocrWorkers = getSharedOcrPool().stats().size;
        },
      });
    } finally {
      // Read while the readers are alive: a live process's CPU is in its own /proc entry, not yet in ours.
      cpuSeconds = (await cpuSecondsSoFar()) - cpuStart;
      seconds = (performance.now() - started) / 1000;
      await closeSharedOcrPool();
    }
    const stats = sharedIsolatedExtraction().stats();
    const failed = summary.rows.filter((r) => r.failure).length;
    const result: BatchBenchResult = {
      dossiers: DOSSIERS,
      distinctSamples: samples.length,
      concurrency: CONCURRENCY,
      ocrWorkers,
      seconds: Number(seconds.toFixed(1)),
      dossiersPerMinute: Number(((DOSSIERS / seconds) * 60).toFixed(2)),
      cpuSeconds: Number(cpuSeconds.toFixed(1)),
      coresObtained: Number((cpuSeconds / seconds).toFixed(2)),
      checked: summary.rows.length - failed,
      failed,
      readers: { started: stats.started, filesRead: stats.filesRead },
      plan: plan!,
      loadBefore,
      loadAfter: loadavg().map((l) => Number(l.toFixed(2))),
      cpus: availableParallelism(),
    };
    log(
      `  ${DOSSIERS} 份材料包（${samples.length} 个样例轮流复制，无提取缓存），--concurrency ${CONCURRENCY}（OCR 池 ${result.ocrWorkers} 个，同时读取 ≤ ${plan!.filesAtOnce} 个文件，同时检查 ${plan!.dossiersAtOnce} 份）：` +
        `${result.seconds} s，${result.dossiersPerMinute} 份/分钟，${result.cpuSeconds} CPU 秒（得到 ${result.coresObtained} 核）；` +
        `检查完成 ${result.checked} 份，失败 ${failed} 份；读取进程启动 ${stats.started} 个；负载 ${loadBefore.join('/')} → ${result.loadAfter.join('/')}`,
    );
    if (options.writeJson ?? true) {
      const out = join(dirname(fileURLToPath(import.meta.url)), 'results', 'batch.json');
      await mkdir(dirname(out), { recursive: true });
      await writeFile(out, `${JSON.stringify(result, null, 2)}\n`);
    }
    return result;
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log('dossier batch 吞吐量（样例材料包复制为 40 份）：');
  await runBatchBench();
  await sharedIsolatedExtraction().close();
}
