import { access, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../cli/errors.ts';
import { integerOption, positiveNumberOption } from '../../cli/numeric-options.ts';
import { dossier } from './run.ts';

/** A usage error: exit code 2, one Chinese line naming the option and the value, no JavaScript error on the screen. */
function expectUsageError(r: { code: number; stdout: string; stderr: string }, flag: string, value: string): void {
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr).toContain(flag);
  expect(r.stderr).toContain(`“${value}”`);
  expect(r.stderr).toMatch(/错误：.*应为/);
  expect(r.stderr).not.toMatch(/TypeError|RangeError|Expected|at .*\.ts:\d+/);
}

describe('when dossier batch is given a --concurrency that is not a whole number of cores from 1 to 64', () => {
  for (const value of ['abc', '0', '65']) {
    it(`refuses --concurrency “${value}” before checking anything`, async () => {
      const dir = await mkdtemp(join(tmpdir(), 'cli-batch-'));
      const out = join(dir, 'out');
      const r = await dossier(['batch', dir, '--city', 'changde', '--stage', 'filing', '--out', out, '--concurrency', value]);
      expectUsageError(r, '--concurrency', value);
      expect(r.stderr).toContain('1 到 64 之间的整数');
      await expect(access(out)).rejects.toThrow();
    });
  }
});

describe('when another command is given a numeric option out of range', () => {
  it('refuses dossier serve --port abc', async () => {
    expectUsageError(await dossier(['serve', '--port', 'abc']), '--port', 'abc');
  });

  it('refuses dossier submit --timeout 0', async () => {
    expectUsageError(await dossier(['submit', 'x.zip', '--city', 'changde', '--stage', 'filing', '--timeout', '0']), '--timeout', '0');
  });
});

// The same parsers, value by value, without starting the CLI each time.
describe('the numeric option parsers', () => {
  const concurrency = integerOption('--concurrency', { min: 1 });
  const port = integerOption('--port', { min: 0, max: 65535 });
  const days = positiveNumberOption('--expires-days');

  it('accept whole numbers in range', () => {
    expect(concurrency('1')).toBe(1);
    expect(concurrency('16')).toBe(16);
    expect(port('0')).toBe(0);
    expect(port('65535')).toBe(65535);
    expect(days('30')).toBe(30);
    expect(days('0.5')).toBe(0.5);
  });

  it('refuse anything else with a Chinese usage error that names the option and the value', () => {
    for (const value of ['abc', '0', '-1', '1.5', '', ' ', '1e3', '0x10', '2x', 'Infinity', '99999999999999999999']) {
      expect(() => concurrency(value), value).toThrow(UsageError);
      expect(() => concurrency(value), value).toThrow(`--concurrency 应为不小于 1 的整数，收到“${value}”`);
    }
    expect(() => port('70000')).toThrow('--port 应为 0 到 65535 之间的整数，收到“70000”');
    for (const value of ['soon', '0', '-3', '', 'NaN']) expect(() => days(value), value).toThrow(UsageError);
  });
});
