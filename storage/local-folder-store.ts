import { randomUUID } from 'node:crypto';
import { lstat, mkdir, open, opendir, realpath, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { z } from 'zod';
import {
  decodeJson,
  encodeJson,
  JSON_CONTENT_TYPE,
  readAll,
  type BlobBody,
  type BlobHead,
  type BlobListing,
  type BlobStore,
  type PutOptions,
  type PutResult,
} from './blob-store.ts';
import {
  BlobNotFoundError,
  InvalidKeyError,
  PermanentStorageError,
  StorageError,
  TransientStorageError,
} from './errors.ts';
import { assertValidKey, assertValidPrefix } from './object-key.ts';
import { chunksOf, SourceStreamFailure } from './source-stream.ts';

export interface LocalFolderStoreOptions {
  /** Folder that holds the objects, created on first write. Default `./data`, resolved once at construction. */
  root?: string;
}

/**
 * Half-written files live here until they are complete, then are renamed into place. Being inside the root keeps
 * them on the same file system, which is what makes the rename atomic. The name is reserved: no key may start with it.
 */
export const STAGING_FOLDER = '.staging';
/** Beside the objects, not among them: the embedded SQLite database of records (api/db). */
export const DATABASE_FOLDER = '.database';
const RESERVED_FOLDERS = [STAGING_FOLDER, DATABASE_FOLDER];

const NOT_THERE = new Set(['ENOENT', 'ENOTDIR']);
// Running out of descriptors or a busy file usually clears up; a full or read-only disk does not.
const TRANSIENT_FS_CODES = new Set(['EMFILE', 'ENFILE', 'EAGAIN', 'EBUSY', 'EINTR']);
// A key cannot be both an object and a folder on disk ("a" and "a/b"); S3 would allow it.
const KEY_SHAPE_CLASH = new Set(['EISDIR', 'ENOTDIR', 'EEXIST', 'ENOTEMPTY']);

function errnoCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string'
    ? error.code
    : undefined;
}

/**
 * Objects as plain files under one folder: `dossiers/x/report.json` is `<root>/dossiers/x/report.json`, so an operator
 * can look at the data with ordinary tools. Used by the embedded mode; no server needed.
 */
export class LocalFolderStore implements BlobStore {
  readonly kind = 'local' as const;
  readonly root: string;
  private realRoot: string | undefined;

  constructor(options: LocalFolderStoreOptions = {}) {
    this.root = path.resolve(options.root ?? './data');
  }

  get location(): string {
    return this.root;
  }

  async put(key: string, body: BlobBody, _options?: PutOptions): Promise<PutResult> {
    const target = this.pathFor(key);
    const stagingDir = path.join(this.root, STAGING_FOLDER);
    const stagingPath = path.join(stagingDir, `${randomUUID()}.partial`);
    let size = 0;
    try {
      await mkdir(stagingDir, { recursive: true });
      const handle = await open(stagingPath, 'wx');
      try {
        if (Buffer.isBuffer(body)) {
          await handle.writeFile(body);
          size = body.length;
        } else {
          for await (const chunk of chunksOf(body)) {
            // write() may store fewer bytes than asked (rare on files, but allowed); loop until all are down.
            for (let offset = 0; offset < chunk.length; ) {
              offset += (await handle.write(chunk, offset)).bytesWritten;
            }
            size += chunk.length;
          }
        }
        // Without it a crash shortly after the rename can leave an empty file under the final name.
        await handle.sync();
      } finally {
        await handle.close();
      }
      // Checked before mkdir too, or mkdir would create folders wherever a planted link leads.
      await this.assertInsideRoot(await this.deepestExisting(path.dirname(target)), key);
      await mkdir(path.dirname(target), { recursive: true });
      await this.assertInsideRoot(path.dirname(target), key);
      // rename() replaces a symbolic link at the target itself instead of writing through it.
      await rename(stagingPath, target);
      return { size };
    } catch (error) {
      await unlink(stagingPath).catch(() => undefined);
      if (!Buffer.isBuffer(body)) body.destroy();
      if (error instanceof SourceStreamFailure) throw error.original;
      throw this.translate(error, 'put', key);
    }
  }

  async get(key: string): Promise<Readable> {
    const file = this.pathFor(key);
    try {
      await this.assertInsideRoot(file, key);
      const handle = await open(file, 'r');
      // Opening a directory succeeds on Linux; a folder is not an object.
      if (!(await handle.stat()).isFile()) {
        await handle.close();
        throw new BlobNotFoundError(key);
      }
      return handle.createReadStream();
    } catch (error) {
      throw this.translate(error, 'get', key);
    }
  }

  async head(key: string): Promise<BlobHead | null> {
    const file = this.pathFor(key);
    try {
      await this.assertInsideRoot(file, key);
      const info = await stat(file);
      return info.isFile() ? { size: info.size, lastModified: info.mtime } : null;
    } catch (error) {
      if (NOT_THERE.has(errnoCode(error) ?? '')) return null;
      throw this.translate(error, 'head', key);
    }
  }

  async *list(prefix: string): AsyncIterable<BlobListing> {
    assertValidPrefix(prefix);
    // Walk only the deepest folder the prefix names fully; the rest of the prefix filters names inside it.
    const folderPart = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
    const startDir = folderPart === '' ? this.root : path.join(this.root, ...folderPart.split('/'));
    yield* this.walk(startDir, folderPart, prefix);
  }

  async delete(key: string): Promise<void> {
    const file = this.pathFor(key);
    try {
      await this.assertInsideRoot(path.dirname(file), key);
      await unlink(file);
    } catch (error) {
      const code = errnoCode(error) ?? '';
      // Missing, or a folder (which is not an object): nothing to delete either way.
      if (NOT_THERE.has(code) || code === 'EISDIR' || code === 'EPERM') return;
      throw this.translate(error, 'delete', key);
    }
  }

  async putJson(key: string, value: unknown): Promise<PutResult> {
    return this.put(key, encodeJson(value), { contentType: JSON_CONTENT_TYPE });
  }

  async getJson<T = unknown>(key: string, schema?: z.ZodType<T>): Promise<T> {
    return decodeJson(key, await readAll(await this.get(key)), schema);
  }

  private pathFor(key: string): string {
    assertValidKey(key);
    const reserved = RESERVED_FOLDERS.find((folder) => key === folder || key.startsWith(`${folder}/`));
    if (reserved) throw new InvalidKeyError(key, `“${reserved}/”是本地存储的保留目录`);
    const file = path.join(this.root, ...key.split('/'));
    // The key rules already exclude "..", absolute paths and backslashes; this is the last line of defence.
    if (!file.startsWith(this.root + path.sep)) throw new InvalidKeyError(key, '解析后的路径超出了存储根目录');
    return file;
  }

  /**
   * Keys cannot climb out, but a symbolic link placed inside the root by someone else could lead out; follow the
   * links and refuse if the real path is elsewhere. Throws ENOENT (from realpath) when the path does not exist.
   */
  private async assertInsideRoot(file: string, key: string): Promise<void> {
    this.realRoot ??= await realpath(this.root);
    const real = await realpath(file);
    if (real !== this.realRoot && !real.startsWith(this.realRoot + path.sep)) {
      throw new InvalidKeyError(key, '该路径经符号链接指向了存储根目录之外');
    }
  }

  private async deepestExisting(dir: string): Promise<string> {
    for (let current = dir; ; current = path.dirname(current)) {
      try {
        await lstat(current);
        return current;
      } catch (error) {
        if (!NOT_THERE.has(errnoCode(error) ?? '') || current === path.dirname(current)) throw error;
      }
    }
  }

  private async *walk(dir: string, keyOfDir: string, prefix: string): AsyncIterable<BlobListing> {
    let entries;
    try {
      entries = await opendir(dir);
    } catch (error) {
      if (NOT_THERE.has(errnoCode(error) ?? '')) return;
      throw this.translate(error, 'list', prefix);
    }
    const names: { name: string; isDir: boolean }[] = [];
    for await (const entry of entries) {
      // Symbolic links are skipped, never followed: one could point outside the root.
      if (entry.isDirectory()) names.push({ name: entry.name, isDir: true });
      else if (entry.isFile()) names.push({ name: entry.name, isDir: false });
    }
    names.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const { name, isDir } of names) {
      if (keyOfDir === '' && RESERVED_FOLDERS.includes(name)) continue;
      const key = keyOfDir === '' ? name : `${keyOfDir}/${name}`;
      if (isDir) {
        // Descend only where keys below can still match the prefix.
        if (key.startsWith(prefix) || prefix.startsWith(`${key}/`)) yield* this.walk(path.join(dir, name), key, prefix);
      } else if (key.startsWith(prefix)) {
        try {
          yield { key, size: (await lstat(path.join(dir, name))).size };
        } catch (error) {
          // Deleted between readdir and lstat: it is simply no longer there.
          if (!NOT_THERE.has(errnoCode(error) ?? '')) throw this.translate(error, 'list', prefix);
        }
      }
    }
  }

  private translate(error: unknown, operation: string, key: string): Error {
    if (error instanceof StorageError) return error;
    const code = errnoCode(error);
    if (code === undefined) return error instanceof Error ? error : new Error(String(error));
    if (operation === 'get' && NOT_THERE.has(code)) return new BlobNotFoundError(key, { cause: error });
    if (TRANSIENT_FS_CODES.has(code)) {
      return new TransientStorageError(`本地存储暂时不可用（${operation} ${key}）：${code}`, { cause: error });
    }
    if (operation === 'put' && KEY_SHAPE_CLASH.has(code)) {
      return new PermanentStorageError(
        `本地存储无法写入“${key}”：同名的目录或文件已存在（本地目录中一个键不能既是对象又是目录）`,
        { cause: error },
      );
    }
    return new PermanentStorageError(`本地存储操作失败（${operation} ${key}）：${code}`, { cause: error });
  }
}
