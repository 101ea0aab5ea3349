import { createReadStream } from 'node:fs';
import { contentFileKey, type BlobStore } from '../../storage/index.ts';
import { mapLimited } from '../concurrency.ts';
import { distinctContents } from './link-duplicates.ts';

/**
 * The "store" of intake-and-store: each distinct content's bytes under its content-addressed key, once for every
 * dossier that holds it. Returns how many objects were written now (the rest were there already).
 */
export async function storeContents(
  store: BlobStore,
  files: ReadonlyArray<{ sha256: string; size: number; localPath: string }>,
  concurrency = 4,
): Promise<number> {
  const written = await mapLimited(distinctContents(files), concurrency, async (file) => {
    const key = contentFileKey(file.sha256);
    const head = await store.head(key);
    if (head !== null && head.size === file.size) return 0;
    await store.put(key, createReadStream(file.localPath));
    return 1;
  });
  return written.reduce((sum: number, n) => sum + n, 0);
}
