import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * The version of an installed package, for the extraction cache key. Most packages' exports maps hide their
 * package.json, so this walks up from the entry point to the folder whose package.json names the package.
 * `from` is where to resolve it from (a dependency's own copy, e.g. the pdfjs-dist that pdf-parse runs).
 */
export function installedVersion(packageName: string, from: string = import.meta.url): string {
  let dir = dirname(createRequire(from).resolve(packageName));
  for (;;) {
    try {
      const parsed = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
      if (parsed.name === packageName) return typeof parsed.version === 'string' ? parsed.version : 'unknown';
    } catch {
      // no package.json at this level
    }
    const parent = dirname(dir);
    if (parent === dir) return 'unknown';
    dir = parent;
  }
}
