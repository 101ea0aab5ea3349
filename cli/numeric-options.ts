import { UsageError } from './errors.ts';

/**
 * Parsers for numeric command-line options, for commander's `.option(flags, description, parser)`. A value that is
 * not a number in range (`abc`, `0`, `1.5` where a whole number is wanted, an empty string) is a UsageError: the CLI
 * prints it in Chinese and exits with code 2 before any work starts, instead of passing NaN on.
 */

/** A whole number written in decimal digits, at least `min` and at most `max` (when given). */
export function integerOption(flag: string, { min, max }: { min: number; max?: number }): (value: string) => number {
  const range = max === undefined ? `不小于 ${min} 的整数` : ` ${min} 到 ${max} 之间的整数`;
  return (value) => {
    const n = /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isSafeInteger(n) || n < min || (max !== undefined && n > max)) throw new UsageError(`${flag} 应为${range}，收到“${value}”`);
    return n;
  };
}

/** A number greater than 0, decimals allowed (`0.5`). */
export function positiveNumberOption(flag: string): (value: string) => number {
  return (value) => {
    const n = /^\s*\d+(\.\d+)?\s*$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${flag} 应为大于 0 的数，收到“${value}”`);
    return n;
  };
}
