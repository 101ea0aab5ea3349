import pRetry from 'p-retry';
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

/**
 * Runs `operation` until it succeeds, throws an error that is not a retryable StorageError, or the attempts are
 * used up (then the last error is thrown). `operation` must be safe to repeat: it must not consume a stream.
 *
 * The waits are p-retry's exponential backoff with jitter: retry n waits a random time in [50 %, 100 %] of
 * `baseDelayMs × 2^(n-1)`, capped at `maxDelayMs`, so workers that failed together do not retry together.
 */
export function withRetry<T>(policy: RetryPolicy, operation: (attempt: number) => Promise<T>): Promise<T> {
  return pRetry(operation, {
    retries: Math.max(0, policy.attempts - 1),
    factor: 2,
    // p-retry's randomize multiplies by [1, 2): half the base gives [50 %, 100 %] of the doubling step.
    minTimeout: policy.baseDelayMs / 2,
    randomize: true,
    maxTimeout: policy.maxDelayMs,
    shouldRetry: ({ error }) => error instanceof StorageError && error.retryable,
  });
}
