/**
 * Exact decimal arithmetic on strings, enough for money: thresholds are compared in 万元 with no rounding
 * (requirements §0.3), so 49.99 must stay 49.99 and 1,234,500元 must become exactly 123.45万元. A value is an integer
 * of units scaled by a power of ten, held in a bigint.
 */

export interface Decimal {
  /** value = units / 10^scale */
  units: bigint;
  scale: number;
}

const DECIMAL_TEXT = /^([+-])?(\d+)(?:\.(\d+))?$/;

/** Parses "1,234.50", "-3", ".5"-free plain decimals. Thousands separators are dropped. Returns null otherwise. */
export function parseDecimal(text: string): Decimal | null {
  const compact = text.trim().replace(/,/g, '');
  const match = DECIMAL_TEXT.exec(compact);
  if (!match) return null;
  const [, sign, whole, fraction = ''] = match;
  const units = BigInt(`${whole}${fraction}`) * (sign === '-' ? -1n : 1n);
  return { units, scale: fraction.length };
}

/** Multiplies by 10^power (power may be negative); exact. */
export function shiftDecimal(value: Decimal, power: number): Decimal {
  if (power >= 0) {
    if (value.scale >= power) return { units: value.units, scale: value.scale - power };
    return { units: value.units * 10n ** BigInt(power - value.scale), scale: 0 };
  }
  return { units: value.units, scale: value.scale - power };
}

function align(a: Decimal, b: Decimal): [bigint, bigint, number] {
  const scale = Math.max(a.scale, b.scale);
  return [a.units * 10n ** BigInt(scale - a.scale), b.units * 10n ** BigInt(scale - b.scale), scale];
}

export function addDecimal(a: Decimal, b: Decimal): Decimal {
  const [x, y, scale] = align(a, b);
  return { units: x + y, scale };
}

export function subtractDecimal(a: Decimal, b: Decimal): Decimal {
  const [x, y, scale] = align(a, b);
  return { units: x - y, scale };
}

export function compareDecimal(a: Decimal, b: Decimal): -1 | 0 | 1 {
  const [x, y] = align(a, b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Canonical text: no exponent, no trailing fractional zeros, "-0" never appears. */
export function formatDecimal(value: Decimal): string {
  let { units, scale } = value;
  while (scale > 0 && units % 10n === 0n) {
    units /= 10n;
    scale -= 1;
  }
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString();
  if (scale === 0) return `${negative ? '-' : ''}${digits}`;
  const padded = digits.padStart(scale + 1, '0');
  return `${negative ? '-' : ''}${padded.slice(0, padded.length - scale)}.${padded.slice(padded.length - scale)}`;
}

function must(text: string): Decimal {
  const parsed = parseDecimal(text);
  if (!parsed) throw new Error(`不是十进制数: ${text}`);
  return parsed;
}

/** Compares two canonical decimal strings exactly (e.g. two amounts in 万元). */
export function compareDecimalStrings(a: string, b: string): -1 | 0 | 1 {
  return compareDecimal(must(a), must(b));
}

export function addDecimalStrings(a: string, b: string): string {
  return formatDecimal(addDecimal(must(a), must(b)));
}

export function subtractDecimalStrings(a: string, b: string): string {
  return formatDecimal(subtractDecimal(must(a), must(b)));
}

/** Canonical form of a decimal string ("120.00" → "120"); null if it is not one. */
export function canonicalDecimal(text: string): string | null {
  const parsed = parseDecimal(text);
  return parsed ? formatDecimal(parsed) : null;
}
