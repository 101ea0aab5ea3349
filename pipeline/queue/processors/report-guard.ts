import { randomUUID } from 'node:crypto';
import type { RedisClient } from '../redis.ts';

/** Another run of the same report job holds the write claim; the job retries later and then finds the report. */
export class ReportBusyError extends Error {
  override readonly name = 'ReportBusyError';
  readonly retryable = true;
}

/**
 * Makes "check whether the report exists, else write it" one step across processes. A report job can run twice at
 * the same time only when a worker lost its lock while still alive (a Redis outage, a network split); without the
 * claim both runs could see no report and both write it.
 */
export interface ReportWriteGuard {
  exclusive<T>(dossierId: string, work: () => Promise<T>): Promise<T>;
}

// Deletes the claim only if it is still ours: an expired claim taken over by another run must stay theirs.
const RELEASE_SCRIPT = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

export function redisReportGuard(redis: RedisClient, options: { prefix: string; ttlMs: number }): ReportWriteGuard {
  return {
    async exclusive(dossierId, work) {
      // Same hash tag as the queue's keys when the prefix has one, so a Redis Cluster keeps them together.
      const key = `${options.prefix}:report-claim:${dossierId}`;
      const token = randomUUID();
      const taken = await redis.set(key, token, 'PX', options.ttlMs, 'NX');
      if (taken !== 'OK') throw new ReportBusyError(`案卷 ${dossierId} 的报告正在由另一个进程写入，稍后重试`);
      try {
        return await work();
      } finally {
        await redis.eval(RELEASE_SCRIPT, 1, key, token).catch(() => undefined);
      }
    },
  };
}
