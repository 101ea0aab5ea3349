/**
 * Exact numbers, the product's one numeric type for money and thresholds: 49.99 must stay 49.99 (below 50), 1,234,500元
 * must become exactly 123.45万元, and "超过10%" must be decided without rounding. A value is a reduced fraction of
 * bigints, so the decimals people write are exact and so are sums, differences, products and quotients. Amounts are
 * carried between modules as canonical decimal strings ("123.45") and read back with parseDecimal.
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

export function isRational(v: unknown): v is Rational {
  return typeof v === 'object' && v !== null && 'n' in v && 'd' in v;
}

// --- reading and writing decimals

const PLAIN_DECIMAL = /^([+-])?(\d+)(?:\.(\d+))?$/;

/** Parses a plain decimal as documents write it ("1,234.50", "-3"); thousands separators are dropped. Null otherwise. */
export function parseDecimal(text: string): Rational | null {
  const compact = text.trim().replace(/,/g, '');
  const match = PLAIN_DECIMAL.exec(compact);
  if (!match) return null;
  const [, sign, whole, fraction = ''] = match;
  return rational(BigInt(`${whole}${fraction}`) * (sign === '-' ? -1n : 1n), 10n ** BigInt(fraction.length));
}

/**
 * Reads a number the way a person wrote it in a checklist ("49.99", ".5", "1e3"): "49.99" is exactly 4999/100, never
 * 49.990000000000002. Throws RangeError on anything else.
 */
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

/**
 * Canonical decimal text: no exponent, no trailing fractional zeros, "-0" never appears. Throws RangeError for a
 * fraction with no finite decimal (1/3), which sums and shifts of decimals never produce.
 */
export function formatDecimal(value: Rational): string {
  let twos = 0;
  let fives = 0;
  let rest = value.d;
  while (rest % 2n === 0n) [rest, twos] = [rest / 2n, twos + 1];
  while (rest % 5n === 0n) [rest, fives] = [rest / 5n, fives + 1];
  if (rest !== 1n) throw new RangeError(`不是有限小数：${value.n}/${value.d}`);
  const scale = Math.max(twos, fives);
  const units = (value.n * 10n ** BigInt(scale)) / value.d;
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString();
  if (scale === 0) return `${negative ? '-' : ''}${digits}`;
  const padded = digits.padStart(scale + 1, '0');
  return `${negative ? '-' : ''}${padded.slice(0, padded.length - scale)}.${padded.slice(padded.length - scale)}`;
}

// --- arithmetic

export function compareRational(a: Rational, b: Rational): -1 | 0 | 1 {
  const l = a.n * b.d;
  const r = b.n * a.d;
  return l < r ? -1 : l > r ? 1 : 0;
}

export function arithmetic(op: '+' | '-' | '*' | '/', a: Rational, b: Rational): Rational {
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

/** Multiplies by 10^power (power may be negative), e.g. 元 → 万元 is power −4. */
export function shiftDecimal(value: Rational, power: number): Rational {
  const factor = 10n ** BigInt(Math.abs(power));
  return power >= 0 ? rational(value.n * factor, value.d) : rational(value.n, value.d * factor);
}

// --- on decimal strings, as amounts travel

function must(text: string): Rational {
  const parsed = parseDecimal(text);
  if (!parsed) throw new Error(`不是十进制数: ${text}`);
  return parsed;
}

/** Compares two decimal strings exactly (e.g. two amounts in 万元). */
export function compareDecimalStrings(a: string, b: string): -1 | 0 | 1 {
  return compareRational(must(a), must(b));
}

export function addDecimalStrings(a: string, b: string): string {
  return formatDecimal(arithmetic('+', must(a), must(b)));
}

export function subtractDecimalStrings(a: string, b: string): string {
  return formatDecimal(arithmetic('-', must(a), must(b)));
}

/** Canonical form of a decimal string ("120.00" → "120"); null if it is not one. */
export function canonicalDecimal(text: string): string | null {
  const parsed = parseDecimal(text);
  return parsed ? formatDecimal(parsed) : null;
}
