import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const REPO = path.resolve(import.meta.dirname, '../..');
const SOURCE_FOLDERS = ['api', 'bench', 'checklists', 'cli', 'extractors', 'pipeline', 'storage', 'tests', 'types', 'bin'];
const SOURCE_FILE = /\.(ts|mts|cts|js|mjs|cjs)$/;

async function sourceFiles(folder: string): Promise<string[]> {
  const entries = await readdir(path.join(REPO, folder), { withFileTypes: true, recursive: true }).catch(() => []);
  return entries
    .filter((entry) => entry.isFile() && SOURCE_FILE.test(entry.name))
    .map((entry) => path.relative(REPO, path.join(entry.parentPath, entry.name)))
    .filter((file) => !file.split(path.sep).includes('generated'));
}

function importedModules(source: string): string[] {
  const found: string[] = [];
  const patterns = [/\bfrom\s+['"]([^'"]+)['"]/g, /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g, /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g, /^\s*import\s+['"]([^'"]+)['"]/gm];
  for (const pattern of patterns) for (const match of source.matchAll(pattern)) found.push(match[1]!);
  return found;
}

describe('when looking at who talks to object storage directly', () => {
  it('finds the minio client imported only by storage/s3-store.ts', async () => {
    const importers: string[] = [];
    for (const folder of SOURCE_FOLDERS) {
      for (const file of await sourceFiles(folder)) {
        const modules = importedModules(await readFile(path.join(REPO, file), 'utf8'));
        if (modules.some((m) => m === 'minio' || m.startsWith('minio/'))) importers.push(file);
      }
    }
    expect(importers).toEqual([path.join('storage', 's3-store.ts')]);
  });
});

describe('when looking at what storage/ depends on', () => {
  it('imports nothing of ours outside storage/ (it knows nothing of dossiers’ meaning)', async () => {
    const outside: string[] = [];
    for (const file of await sourceFiles('storage')) {
      for (const module of importedModules(await readFile(path.join(REPO, file), 'utf8'))) {
        if (module.startsWith('.') && !path.resolve(REPO, path.dirname(file), module).startsWith(path.join(REPO, 'storage') + path.sep)) {
          outside.push(`${file} → ${module}`);
        }
      }
    }
    expect(outside).toEqual([]);
  });
});
