import pMap from 'p-map';

/**
 * Runs `work` over `items` with at most `limit` in flight, keeping the results in input order (p-map underneath).
 * A `limit` that is not a whole number of at least 1 is a programming error and throws a RangeError before any
 * work starts: callers validate user input (such as `dossier batch --concurrency`) at their own boundary.
 */
export async function mapLimited<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`并发数应为不小于 1 的整数，收到 ${String(limit)}`);
  return pMap(items, work, { concurrency: limit });
}
