import { randomUUID } from 'node:crypto';
import { chmod, lstat, mkdir, open, readdir, realpath, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { assertValidKey, InvalidKeyError, LocalFolderStore, SECRETS_PREFIX, STAGING_FOLDER, type BlobStore } from '../../storage/index.ts';

/**
 * Objects that hold a secret or what stands in for one: the generated webhook secret, token records and share-link
 * records — everything under `auth/` (storage/keys.ts). In a local data folder they are owner-only: files 0600, folders
 * 0700, so another account on the machine reads none of them. The BlobStore contract has no file mode, so here they
 * are written the way the local store writes (staged, synced, renamed into place), with the mode from the first byte.
 * In S3 access is the bucket's policy; these are ordinary objects there.
 */

const FILE_MODE = 0o600;
const FOLDER_MODE = 0o700;

export async function putSecretJson(store: BlobStore, key: string, value: unknown): Promise<void> {
  if (!(store instanceof LocalFolderStore)) {
    await store.putJson(key, value);
    return;
  }
  assertValidKey(key);
  if (!key.startsWith(SECRETS_PREFIX)) throw new InvalidKeyError(key, `只有“${SECRETS_PREFIX}”下的对象按密钥文件写入`);
  const file = path.join(store.root, ...key.split('/'));
  await mkdir(path.dirname(file), { recursive: true, mode: FOLDER_MODE });
  // As the store does: a symbolic link planted inside the data folder must not lead the write elsewhere.
  const [root, folder] = await Promise.all([realpath(store.root), realpath(path.dirname(file))]);
  if (!folder.startsWith(root + path.sep)) throw new InvalidKeyError(key, '该路径经符号链接指向了存储根目录之外');

  const staged = path.join(store.root, STAGING_FOLDER, `${randomUUID()}.partial`);
  await mkdir(path.dirname(staged), { recursive: true });
  try {
    const handle = await open(staged, 'wx', FILE_MODE);
    try {
      await handle.writeFile(JSON.stringify(value, null, 2));
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(staged, file);
  } catch (error) {
    await unlink(staged).catch(() => undefined);
    throw error;
  }
}

/** On start: secret files an earlier version wrote with the default mode become owner-only. Returns how many changed. */
export async function restrictSecretFiles(store: BlobStore): Promise<number> {
  if (!(store instanceof LocalFolderStore)) return 0;
  return restrict(path.join(store.root, ...SECRETS_PREFIX.split('/').filter(Boolean)));
}

async function restrict(entry: string): Promise<number> {
  let info;
  try {
    info = await lstat(entry);
  } catch {
    return 0;
  }
  // Links are never followed (they could lead out of the data folder); the store ignores them too.
  if (info.isSymbolicLink()) return 0;
  const wanted = info.isDirectory() ? FOLDER_MODE : FILE_MODE;
  let changed = 0;
  if ((info.mode & 0o777) !== wanted) {
    await chmod(entry, wanted);
    changed += 1;
  }
  if (info.isDirectory()) {
    for (const name of await readdir(entry)) changed += await restrict(path.join(entry, name));
  }
  return changed;
}
