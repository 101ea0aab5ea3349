import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { intake, type IntakeOptions } from '../../pipeline/intake/index.ts';

/**
 * A fresh folder per test: `inputs/` holds what the test hands to intake, `work/` is the workDir. Tests that check
 * containment look at the whole folder, so anything written beside `work/` would show.
 */
export function useScratch() {
  const state = { root: '' };
  beforeEach(async () => {
    state.root = await mkdtemp(join(tmpdir(), 'intake-test-'));
  });
  afterEach(async () => {
    await rm(state.root, { recursive: true, force: true });
  });
  return {
    get root() {
      return state.root;
    },
    get workDir() {
      return join(state.root, 'work');
    },
    async write(relativePath: string, bytes: Buffer | string): Promise<string> {
      const target = join(state.root, 'inputs', relativePath);
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, bytes);
      return target;
    },
    async intakeBytes(fileName: string, bytes: Buffer, options: Omit<IntakeOptions, 'workDir'> = {}) {
      const input = await this.write(fileName, bytes);
      return intake(input, { workDir: this.workDir, ...options });
    },
    /** Every file under the scratch root, relative to it. */
    async allFiles(): Promise<string[]> {
      const entries = await readdir(state.root, { recursive: true, withFileTypes: true });
      return entries
        .filter((entry) => !entry.isDirectory())
        .map((entry) => relative(state.root, join(entry.parentPath, entry.name)));
    },
  };
}
