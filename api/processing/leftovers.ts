import { createHash } from 'node:crypto';
import { lstat, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { LocalFolderStore, STAGING_FOLDER, type BlobStore } from '../../storage/index.ts';

/**
 * What a crash leaves behind: half-written objects in the local store's staging folder (`.staging/*.partial`) and
 * the work folders of checks that never finished (an unpacked dossier can be gigabytes). Work folders live in a
 * folder that belongs to this data folder — inside it for a local store, where listings never show it (the store
 * skips its staging folder and no key may start with it), or in a temporary folder named after the bucket for S3 —
 * so that start-up clears only its own. Only what is older than this process is removed: anything newer is in use.
 */

export const WORK_FOLDER_PREFIXES = ['dossier-api-', 'dossier-enqueue-'] as const;

/** Where the checks of this data folder unpack their dossiers. */
export function workRootFor(store: BlobStore): string {
  if (store instanceof LocalFolderStore) return path.join(store.root, STAGING_FOLDER, 'work');
  return path.join(tmpdir(), `dossier-api-work-${createHash('sha256').update(store.location).digest('hex').slice(0, 12)}`);
}

export interface RemovedLeftovers {
  partials: number;
  workFolders: number;
}

/** Removes leftovers last touched before `startedAt` (default: when this process started). */
export async function removeCrashLeftovers(store: BlobStore, workRoot: string, startedAt = performance.timeOrigin): Promise<RemovedLeftovers> {
  const partials =
    store instanceof LocalFolderStore
      ? await removeOlder(path.join(store.root, STAGING_FOLDER), startedAt, (name, isDir) => !isDir && name.endsWith('.partial'))
      : 0;
  const workFolders = await removeOlder(workRoot, startedAt, (name, isDir) => isDir && WORK_FOLDER_PREFIXES.some((p) => name.startsWith(p)));
  return { partials, workFolders };
}

async function removeOlder(folder: string, startedAt: number, wanted: (name: string, isDir: boolean) => boolean): Promise<number> {
  let entries;
  try {
    entries = await readdir(folder, { withFileTypes: true });
  } catch {
    return 0;
  }
  let removed = 0;
  for (const entry of entries) {
    if (!wanted(entry.name, entry.isDirectory())) continue;
    const full = path.join(folder, entry.name);
    const info = await lstat(full).catch(() => null);
    if (!info || info.mtimeMs >= startedAt) continue;
    await rm(full, { recursive: true, force: true });
    removed += 1;
  }
  return removed;
}
