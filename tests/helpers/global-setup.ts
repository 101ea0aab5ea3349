import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  interface ProvidedContext {
    /** The folder of this run's extraction cache (tests/helpers/run-cache.ts). */
    runExtractionCacheDir: string;
  }
}

/**
 * One extraction cache per `vitest run`, created empty here and removed at the end. Several test files check the same
 * sample dossiers to test what comes after extraction (rules, renderings, the notice); within one run the code is
 * the same, so the first file to read a file pays for its extraction and the others reuse it. Never reused across
 * runs: a changed extractor would otherwise be tested on stale output.
 */
let dir: string | undefined;

export async function setup(project: TestProject): Promise<void> {
  const root = join(import.meta.dirname, '..', '..', '.tmp');
  await mkdir(root, { recursive: true });
  dir = await mkdtemp(join(root, 'run-extraction-cache-'));
  project.provide('runExtractionCacheDir', dir);
}

export async function teardown(): Promise<void> {
  if (dir) await rm(dir, { recursive: true, force: true });
}
