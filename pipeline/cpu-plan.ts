import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { sharedIsolatedExtraction } from '../extractors/isolation/isolated-extraction.ts';
import { getSharedOcrPool, type OcrPool } from '../extractors/ocr/index.ts';

/**
 * What `--concurrency` means everywhere (`dossier batch`, `dossier worker` / WORKER_CONCURRENCY, the API's
 * PROCESS_CONCURRENCY): the number of cores one process may keep busy. Everything that uses CPU is sized from that
 * one number, so the OCR pool and the reader processes share the cores instead of each assuming it has them all.
 *
 * Why one reader and one OCR thread per core do not oversubscribe: a reader whose pages are at OCR waits for the
 * pool (no CPU), and a page is either being parsed by its reader or recognised by an OCR thread; the two overlap only
 * while a reader prepares its next page. Before, `dossier batch --concurrency 2` put up to 4 readers beside 2 OCR threads.
 */
export interface CpuPlan {
  /** Cores this process may use: the value of `--concurrency`. */
  cores: number;
  /** tesseract workers in the process's one OCR pool. */
  ocrWorkers: number;
  /** Files read at once across every dossier of the process: at most this many reader processes are busy. */
  filesAtOnce: number;
  /** Dossiers checked at once (batch, embedded API); their reading shares `filesAtOnce` and the OCR pool. */
  dossiersAtOnce: number;
}

/** The same value in the queue worker, where a job (one file, or one dossier's report) runs in a sandboxed process. */
export interface WorkerCpuPlan {
  cores: number;
  /** BullMQ jobs at once: each is one sandboxed process reading one file with its own OCR pool. */
  jobsAtOnce: number;
  /** tesseract workers in each job's OCR pool; jobsAtOnce × this never exceeds `cores`. */
  ocrThreadsPerJob: number;
}

/** Upper bound of the option: far above any machine here, low enough that a typo cannot fork hundreds of readers. */
export const MAX_CORES = 64;

/** `--concurrency`, WORKER_CONCURRENCY and PROCESS_CONCURRENCY all parse through this. */
export const coresSchema = z.coerce
  .number({ error: '并发数（可用核数）必须是数字' })
  .int('并发数（可用核数）必须是整数')
  .min(1, '并发数（可用核数）不能小于 1')
  .max(MAX_CORES, `并发数（可用核数）不能大于 ${MAX_CORES}`);

/** The default everywhere: every core the operating system gives this process. */
export function defaultCores(): number {
  return Math.min(MAX_CORES, Math.max(1, availableParallelism()));
}

export function cpuPlan(cores: number = defaultCores()): CpuPlan {
  const n = coresSchema.parse(cores);
  return { cores: n, ocrWorkers: n, filesAtOnce: n, dossiersAtOnce: n };
}

/**
 * A worker given `cores` and `ocrThreadsPerJob` runs ⌊cores ÷ threads⌋ jobs (at least one), each job's pool no larger
 * than `cores`: OCR_THREADS_PER_JOB=2 on 2 cores is one job with two threads, not two jobs with two each.
 */
export function workerCpuPlan(cores: number, ocrThreadsPerJob: number): WorkerCpuPlan {
  const n = coresSchema.parse(cores);
  const threads = Math.min(n, Math.max(1, Math.floor(ocrThreadsPerJob)));
  return { cores: n, jobsAtOnce: Math.max(1, Math.floor(n / threads)), ocrThreadsPerJob: threads };
}

/** One line for logs and the CLI: 使用 2 个核：OCR 线程 2 个，同时读取 2 个文件，同时检查 2 个材料包 */
export function describeCpuPlan(plan: CpuPlan): string {
  return `使用 ${plan.cores} 个核：OCR 线程 ${plan.ocrWorkers} 个，同时读取 ${plan.filesAtOnce} 个文件，同时检查 ${plan.dossiersAtOnce} 个材料包`;
}

export function describeWorkerCpuPlan(plan: WorkerCpuPlan): string {
  return `使用 ${plan.cores} 个核：同时处理 ${plan.jobsAtOnce} 个任务，每个任务 OCR 线程 ${plan.ocrThreadsPerJob} 个`;
}

/**
 * Sizes this process's shared resources from the plan: the one OCR pool gets `ocrWorkers` workers and the shared reader
 * processes are capped at `filesAtOnce` busy at once. The shared pool is made once per process; asking for another
 * size while it exists is a programming error (two callers with two plans), not something to paper over.
 */
export function useCpuPlan(plan: CpuPlan): OcrPool {
  limitSharedReaders(plan);
  const pool = getSharedOcrPool({ size: plan.ocrWorkers });
  const size = pool.stats().size;
  if (size !== plan.ocrWorkers) throw new Error(`本进程的 OCR 线程池已按 ${size} 个线程创建，不能再按 ${plan.ocrWorkers} 个使用`);
  return pool;
}

/** Caps this process's shared reader processes at the plan's `filesAtOnce` (for callers that bring their own OCR pool). */
export function limitSharedReaders(plan: CpuPlan): void {
  sharedIsolatedExtraction().setMaxReaders(plan.filesAtOnce);
}
