import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The table of ../shared/DESIGN.md ("Where things live"), as the imports must keep it: arrows only point down.
 * The CLI is an entry like the API; it reaches the layers below through pipeline/index.ts (and starts the API server).
 */
const MAY_IMPORT: Record<string, string[]> = {
  extractors: [],
  storage: [],
  checklists: ['extractors'],
  pipeline: ['extractors', 'checklists', 'storage'],
  api: ['pipeline', 'storage'],
  cli: ['pipeline', 'storage', 'api'],
};

const REPO = fileURLToPath(new URL('../../', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.(ts|mjs)$/.test(name) ? [path] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)].map((m) => resolve(dirname(file), m[1]!));
}

describe('who may import whom (../shared/DESIGN.md)', () => {
  for (const [layer, allowed] of Object.entries(MAY_IMPORT)) {
    it(`${layer}/ imports only ${allowed.length ? allowed.map((a) => `${a}/`).join(', ') : 'itself'}`, () => {
      const wrong: string[] = [];
      for (const file of sources(join(REPO, layer))) {
        for (const target of importsOf(file)) {
          const top = relative(REPO, target).split('/')[0]!;
          if (top === layer || !(top in MAY_IMPORT)) continue;
          if (!allowed.includes(top)) wrong.push(`${relative(REPO, file)} → ${relative(REPO, target)}`);
        }
      }
      expect(wrong).toEqual([]);
    });
  }

  it('the CLI reaches checklists/ and extractors/ only through pipeline/index.ts', () => {
    const wrong = sources(join(REPO, 'cli')).flatMap((file) =>
      importsOf(file)
        .map((target) => relative(REPO, target))
        .filter((target) => target.startsWith('pipeline/') && !target.startsWith('pipeline/index.ts') && !target.startsWith('pipeline/queue/'))
        .map((target) => `${relative(REPO, file)} → ${target}`),
    );
    expect(wrong).toEqual([]);
  });
});
