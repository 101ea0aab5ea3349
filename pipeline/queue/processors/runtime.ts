import { z } from 'zod';
import { parseStorageConfig, type StorageConfig } from '../../../storage/index.ts';

/**
 * What a sandboxed child process needs to know, handed over by its worker in one environment variable (the child
 * is forked by BullMQ, which passes no arguments). Validated on arrival like any other boundary.
 */
export const RUNTIME_ENV = 'DOSSIER_PROCESSOR_RUNTIME';

export const ProcessorRuntimeSchema = z.object({
  storage: z.unknown(),
  redisUrl: z.string(),
  redisCluster: z.boolean(),
  prefix: z.string(),
  ocrThreadsPerJob: z.number().int().positive(),
  /** Lifetime of the report write claim; comfortably longer than writing three objects. */
  reportClaimTtlMs: z.number().int().positive(),
});

export interface ProcessorRuntime {
  storage: StorageConfig;
  redisUrl: string;
  redisCluster: boolean;
  prefix: string;
  ocrThreadsPerJob: number;
  reportClaimTtlMs: number;
}

export function encodeRuntime(runtime: ProcessorRuntime): string {
  return JSON.stringify(runtime);
}

export function runtimeFromEnv(env: NodeJS.ProcessEnv = process.env): ProcessorRuntime {
  const raw = env[RUNTIME_ENV];
  if (raw === undefined) throw new Error(`${RUNTIME_ENV} is not set: this file runs only as a worker's sandboxed processor`);
  const parsed = ProcessorRuntimeSchema.parse(JSON.parse(raw));
  return { ...parsed, storage: parseStorageConfig(parsed.storage) };
}
