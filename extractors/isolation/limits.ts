import { z } from 'zod';

/**
 * Limits on the process that reads one file. Each has an environment variable so an operator can loosen or tighten
 * it without code; values are validated once, at first use.
 */
export const IsolationLimitsSchema = z.object({
  /**
   * Wall-clock time one file may take, OCR included. Default 20 minutes: 300 OCR pages at ~3 s on a busy pool.
   * Env DOSSIER_EXTRACT_FILE_TIMEOUT_S.
   */
  fileTimeoutMs: z.number().int().positive(),
  /**
   * How long the reader may go without finishing a page while it is not waiting for OCR. No page of any real file
   * takes a minute to parse or render on this hardware; a parser spinning on a crafted structure does.
   * Env DOSSIER_EXTRACT_STALL_TIMEOUT_S.
   */
  stallTimeoutMs: z.number().int().positive(),
  /** Resident memory the reader may use, in MB; above it the file is given up. Env DOSSIER_EXTRACT_MAX_MEMORY_MB. */
  maxMemoryMb: z.number().int().positive(),
  /**
   * A reader that ends a file holding more than this many MB is replaced, so native memory (pdf.js, image
   * decoders) goes back to the operating system instead of staying with a long-lived process (the way Tika Pipes
   * recycles its forked parsers). Default 400. Env DOSSIER_EXTRACT_RECYCLE_ABOVE_MB.
   */
  recycleAboveMb: z.number().int().positive(),
  /**
   * Files one reader process reads before it is replaced, whatever its size: pdf.js keeps a little per document
   * that no cleanup returns. Default 20 (a reader starts in ~0.5 s; twenty 99-page files take ~10 s).
   * Env DOSSIER_EXTRACT_RECYCLE_AFTER_FILES.
   */
  filesPerProcess: z.number().int().positive(),
});
export type IsolationLimits = z.infer<typeof IsolationLimitsSchema>;

export const defaultIsolationLimits: IsolationLimits = Object.freeze({
  fileTimeoutMs: 20 * 60_000,
  stallTimeoutMs: 60_000,
  maxMemoryMb: 1_536,
  recycleAboveMb: 400,
  filesPerProcess: 20,
});

const ENV = {
  fileTimeoutMs: ['DOSSIER_EXTRACT_FILE_TIMEOUT_S', 1000],
  stallTimeoutMs: ['DOSSIER_EXTRACT_STALL_TIMEOUT_S', 1000],
  maxMemoryMb: ['DOSSIER_EXTRACT_MAX_MEMORY_MB', 1],
  recycleAboveMb: ['DOSSIER_EXTRACT_RECYCLE_ABOVE_MB', 1],
  filesPerProcess: ['DOSSIER_EXTRACT_RECYCLE_AFTER_FILES', 1],
} as const;

/** Defaults with the environment's overrides; a malformed value is an error naming the variable. */
export function isolationLimitsFromEnv(env: NodeJS.ProcessEnv = process.env): IsolationLimits {
  const limits: IsolationLimits = { ...defaultIsolationLimits };
  for (const [key, [name, factor]] of Object.entries(ENV) as [keyof typeof ENV, (typeof ENV)[keyof typeof ENV]][]) {
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    const value = Number(raw);
    if (!Number.isFinite(value) || value <= 0) throw new Error(`环境变量 ${name} 应为正数，实际为“${raw}”`);
    limits[key] = Math.round(value * factor);
  }
  return IsolationLimitsSchema.parse(limits);
}
