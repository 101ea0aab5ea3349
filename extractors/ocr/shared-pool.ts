import { createOcrPool, type OcrPool, type OcrPoolOptions } from './pool.ts';

let sharedPool: OcrPool | null = null;

/**
 * One pool per process for command-line use, so every file of a dossier shares the same warm workers.
 * Options apply only to the call that creates the pool.
 */
export function getSharedOcrPool(options?: OcrPoolOptions): OcrPool {
  sharedPool ??= createOcrPool(options);
  return sharedPool;
}

/** Terminates the shared pool's workers (so the process can exit); the next get creates a fresh pool. */
export async function closeSharedOcrPool(): Promise<void> {
  const pool = sharedPool;
  sharedPool = null;
  await pool?.close();
}
