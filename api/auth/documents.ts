import { BlobNotFoundError, CorruptBlobError, type BlobStore } from '../../storage/index.ts';
import { putSecretJson } from './secret-files.ts';

/**
 * Where tokens and share links keep their records: a small id → JSON collection. In the database when there is one
 * (api/db, the `auth_documents` table), otherwise as owner-only objects under auth/ in the store.
 */
export interface AuthDocuments {
  get(id: string): Promise<unknown | null>;
  put(id: string, value: unknown): Promise<void>;
  list(): AsyncIterable<{ id: string; value: unknown }>;
  any(): Promise<boolean>;
}

/** The object-storage form: one JSON object per id, at `keyOf(id)` under `prefix` (storage/keys.ts names both). */
export function blobAuthDocuments(store: BlobStore, prefix: string, keyOf: (id: string) => string): AuthDocuments {
  const get = async (id: string) => {
    try {
      return await store.getJson(keyOf(id));
    } catch (error) {
      if (error instanceof BlobNotFoundError || error instanceof CorruptBlobError) return null;
      throw error;
    }
  };
  return {
    get,
    put: (id, value) => putSecretJson(store, keyOf(id), value),
    async *list() {
      for await (const item of store.list(prefix)) {
        const id = item.key.slice(prefix.length).replace(/\.json$/, '');
        const value = await get(id).catch(() => null);
        if (value !== null) yield { id, value };
      }
    },
    async any() {
      for await (const _ of store.list(prefix)) return true;
      return false;
    },
  };
}
