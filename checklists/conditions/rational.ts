import type { ArithmeticOperator } from './parse.ts';

/**
 * Exact decimals for conditions. People write thresholds as decimals (49.99 is below 50, "超过10%" is exclusive), so
 * comparisons and arithmetic run on rationals rather than floats.
 */

/** A reduced fraction with a positive denominator. */
export interface Rational {
  n: bigint;
  d: bigint;
}

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x === 0n ? 1n : x;
}

export function rational(n: bigint, d: bigint): Rational {
  if (d === 0n) throw new RangeError('除数为零');
  const sign = d < 0n ? -1n : 1n;
  const g = gcd(n, d);
  return { n: (sign * n) / g, d: (sign * d) / g };
}

/** Reads a decimal the way a person wrote it: "49.99" is exactly 4999/100, never 49.990000000000002. */
export function rationalFromDecimal(text: string): Rational {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text.trim());
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) throw new RangeError(`不是数字：${text}`);
  const [, sign, intPart = '', fracPart = '', expPart] = m;
  let n = BigInt((intPart || '0') + fracPart);
  let d = 10n ** BigInt(fracPart.length);
  const exp = expPart ? Number(expPart) : 0;
  if (exp > 0) n *= 10n ** BigInt(exp);
  if (exp < 0) d *= 10n ** BigInt(-exp);
  return rational(sign === '-' ? -n : n, d);
}

/** JavaScript's shortest round-trip string of a number is the decimal the writer meant. */
export function rationalFromNumber(x: number): Rational {
  if (!Number.isFinite(x)) throw new RangeError(`不是有限数：${x}`);
  return rationalFromDecimal(String(x));
}

export function compareRational(a: Rational, b: Rational): number {
  const l = a.n * b.d;
  const r = b.n * a.d;
  return l < r ? -1 : l > r ? 1 : 0;
}

export function arithmetic(op: ArithmeticOperator, a: Rational, b: Rational): Rational {
  switch (op) {
    case '+':
      return rational(a.n * b.d + b.n * a.d, a.d * b.d);
    case '-':
      return rational(a.n * b.d - b.n * a.d, a.d * b.d);
    case '*':
      return rational(a.n * b.n, a.d * b.d);
    case '/':
      return rational(a.n * b.d, a.d * b.n);
  }
}

export function isRational(v: unknown): v is Rational {
  return typeof v === 'object' && v !== null && 'n' in v && 'd' in v;
}
