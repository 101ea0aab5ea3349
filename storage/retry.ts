import { setTimeout as sleep } from 'node:timers/promises';
import { StorageError } from './errors.ts';

/** How often and how patiently a storage call is repeated after a retryable failure. */
export interface RetryPolicy {
  /** Tries in total, the first one included. Default 4. */
  attempts: number;
  /** Wait before the first retry; doubles for each further retry. Default 200 ms. */
  baseDelayMs: number;
  /** Ceiling for a single wait. Default 5000 ms. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { attempts: 4, baseDelayMs: 200, maxDelayMs: 5000 };

/** Exponential backoff with jitter in [50 %, 100 %] of the step, so workers that failed together do not retry together. */
export function backoffDelayMs(retryNumber: number, policy: RetryPolicy): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retryNumber - 1));
  return Math.round(step * (0.5 + Math.random() * 0.5));
}

/**
 * Runs `operation` until it succeeds, throws an error that is not a retryable StorageError, or the attempts are
 * used up (then the last error is thrown). `operation` must be safe to repeat: it must not consume a stream.
 */
export async function withRetry<T>(policy: RetryPolicy, operation: (attempt: number) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await operation(attempt);
    } catch (error) {
      const retryable = error instanceof StorageError && error.retryable;
      if (!retryable || attempt >= policy.attempts) throw error;
      await sleep(backoffDelayMs(attempt, policy));
    }
  }
}
