import { inject } from 'vitest';
import { localExtractionCache } from '../../pipeline/extraction-cache.ts';
import type { ExtractionCache } from '../../pipeline/model.ts';

/**
 * This run's shared extraction cache (see global-setup.ts), for tests of what comes after extraction on the sample
 * dossiers. Tests of extraction itself, or of the cold path, must not use it.
 */
export function runExtractionCache(): ExtractionCache {
  const dir = inject('runExtractionCacheDir');
  if (!dir) throw new Error('runExtractionCacheDir 未提供：请通过 vitest.config.ts（globalSetup: tests/helpers/global-setup.ts）运行测试');
  return localExtractionCache(dir);
}
