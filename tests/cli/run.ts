import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { inject } from 'vitest';

/**
 * `bin/dossier.mjs` run as its own process, the way a user runs it, for the CLI tests: exit code, stdout and stderr.
 *
 * Its DATA_DIR (where `check` and `batch` keep their extraction cache) is this run's shared extraction cache
 * (tests/helpers/global-setup.ts), so the sample dossiers that many CLI tests check are read once per `vitest run`,
 * not once per test, and never from an earlier run's cache. A test about the cache or the data folder itself passes
 * its own DATA_DIR (or `--no-cache`).
 */

export const ROOT = join(import.meta.dirname, '..', '..');
export const BIN = join(ROOT, 'bin', 'dossier.mjs');

const run = promisify(execFile);

export interface CliResult {
  /** The exit code (0 when it exited normally). */
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** Variables added to (or, as `undefined`, removed from) the test process's environment. */
  env?: NodeJS.ProcessEnv;
  /** Kills the process after this long; the result then has the code execFile reports. */
  timeoutMs?: number;
}

/** The run's extraction cache folder, given by the global set-up. */
export function runDataDir(): string {
  const dir = inject('runExtractionCacheDir');
  if (!dir) throw new Error('runExtractionCacheDir 未提供：请通过 vitest.config.ts（globalSetup: tests/helpers/global-setup.ts）运行测试');
  return dir;
}

export async function dossier(args: string[], options: CliOptions = {}): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: runDataDir(), ...options.env };
  for (const [name, value] of Object.entries(env)) if (value === undefined) delete env[name];
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { cwd: ROOT, env, maxBuffer: 64 * 1024 * 1024, timeout: options.timeoutMs });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number | string; stdout?: string; stderr?: string; message: string };
    if (typeof e.code !== 'number') throw new Error(`dossier ${args.join(' ')} 未能运行完（${e.code ?? e.message}）\n${e.stderr ?? ''}`);
    return { code: e.code, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}
