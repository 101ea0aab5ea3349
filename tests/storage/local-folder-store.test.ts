import { mkdir, readdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidKeyError } from '../../storage/errors.ts';
import { LocalFolderStore, STAGING_FOLDER } from '../../storage/local-folder-store.ts';
import { listKeys, makeTempDir, readText } from './store-fixtures.ts';

let parent: { dir: string; remove(): Promise<void> };
let root: string;
let store: LocalFolderStore;
beforeEach(async () => {
  parent = await makeTempDir('local-store-root');
  root = path.join(parent.dir, 'data');
  store = new LocalFolderStore({ root });
});
afterEach(async () => {
  await parent.remove();
});

describe('when no root is given', () => {
  it('uses ./data under the current directory', () => {
    expect(new LocalFolderStore().root).toBe(path.resolve('data'));
  });
});

describe('when objects are written', () => {
  it('keeps them as plain files at the key’s path, so operators can look at them', async () => {
    await store.put('dossiers/d1/report.md', Buffer.from('# 报告'));
    expect(await readdir(path.join(root, 'dossiers', 'd1'))).toEqual(['report.md']);
  });

  it('leaves no half-written files behind after a failed write', async () => {
    const failing = Readable.from(
      (async function* () {
        yield Buffer.alloc(4096);
        throw new Error('中断');
      })(),
    );
    await expect(store.put('files/x', failing)).rejects.toThrow('中断');
    expect(await readdir(path.join(root, STAGING_FOLDER))).toEqual([]);
  });

  it('does not list its staging folder and refuses keys inside it', async () => {
    await store.put('files/a', Buffer.from('a'));
    expect(await listKeys(store, '')).toEqual(['files/a']);
    await expect(store.put(`${STAGING_FOLDER}/x`, Buffer.from('x'))).rejects.toBeInstanceOf(InvalidKeyError);
  });
});

describe('when a key tries to leave the root', () => {
  it.each(['../escaped.txt', 'dossiers/../../escaped.txt', '/tmp/escaped.txt', '..\\escaped.txt'])(
    'refuses %j and writes nothing outside the root',
    async (key) => {
      await expect(store.put(key, Buffer.from('x'))).rejects.toBeInstanceOf(InvalidKeyError);
      const outside = (await readdir(parent.dir)).filter((name) => name !== 'data');
      expect(outside).toEqual([]);
    },
  );
});

describe('when a symbolic link inside the root points outside it', () => {
  beforeEach(async () => {
    const elsewhere = path.join(parent.dir, 'elsewhere');
    await mkdir(elsewhere);
    await writeFile(path.join(elsewhere, 'secret.txt'), 'secret');
    await mkdir(root, { recursive: true });
    await symlink(elsewhere, path.join(root, 'link'));
  });

  it('refuses to read, write or delete through it', async () => {
    await expect(store.get('link/secret.txt')).rejects.toBeInstanceOf(InvalidKeyError);
    await expect(store.head('link/secret.txt')).rejects.toBeInstanceOf(InvalidKeyError);
    await expect(store.put('link/planted.txt', Buffer.from('x'))).rejects.toBeInstanceOf(InvalidKeyError);
    await expect(store.put('link/new-folder/planted.txt', Buffer.from('x'))).rejects.toBeInstanceOf(InvalidKeyError);
    await expect(store.delete('link/secret.txt')).rejects.toBeInstanceOf(InvalidKeyError);
    expect((await readdir(path.join(parent.dir, 'elsewhere'))).sort()).toEqual(['secret.txt']);
  });

  it('does not follow it when listing', async () => {
    await store.put('files/a', Buffer.from('a'));
    expect(await listKeys(store, '')).toEqual(['files/a']);
  });
});

describe('when one key is a prefix folder of another', () => {
  it('explains in Chinese that a local folder cannot hold both', async () => {
    await store.put('a/b', Buffer.from('x'));
    const error = await store.put('a', Buffer.from('y')).catch((e: unknown) => e);
    expect((error as Error).message).toContain('同名的目录或文件已存在');
    expect(await readText(store, 'a/b')).toBe('x');
  });
});
