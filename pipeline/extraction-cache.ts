import { createHash } from 'node:crypto';
import { ExtractedDocumentSchema } from '../extractors/model.ts';
import type { ExtractedDocument } from '../extractors/model.ts';
import { BlobNotFoundError, CorruptBlobError, LocalFolderStore, type BlobStore } from '../storage/index.ts';
import { extractedKey } from '../storage/keys.ts';
import type { ExtractionCache } from './model.ts';

/**
 * Extraction results keyed by content hash and extractor version: a file seen before, in this dossier or any other,
 * is never parsed or OCR'd again. A missing or damaged entry is simply a miss.
 */
export function blobExtractionCache(store: BlobStore): ExtractionCache {
  // The full version string names every extractor and can be long; a digest of it keeps keys short and valid.
  const key = (sha256: string, version: string) => extractedKey(sha256, `v${createHash('sha256').update(version).digest('hex').slice(0, 16)}`);
  return {
    async get(sha256, version) {
      try {
        return await store.getJson(key(sha256, version), ExtractedDocumentSchema);
      } catch (error) {
        if (error instanceof BlobNotFoundError || error instanceof CorruptBlobError) return null;
        throw error;
      }
    },
    async put(sha256: string, version: string, doc: ExtractedDocument) {
      await store.putJson(key(sha256, version), doc);
    },
  };
}

/** The embedded default: `./data` (or DATA_DIR). */
export function localExtractionCache(root = process.env.DATA_DIR ?? './data'): ExtractionCache {
  return blobExtractionCache(new LocalFolderStore({ root }));
}
