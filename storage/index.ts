// The storage package's public surface; everything outside storage/ imports from here.
export type { BlobBody, BlobHead, BlobListing, BlobStore, PutOptions, PutResult } from './blob-store.ts';
export { JSON_CONTENT_TYPE } from './blob-store.ts';
export {
  BlobNotFoundError,
  CorruptBlobError,
  InvalidKeyError,
  isStorageError,
  PermanentStorageError,
  STORAGE_ERROR_CODES,
  StorageConfigError,
  StorageError,
  type StorageErrorCode,
  TransientStorageError,
} from './errors.ts';
export { assertValidKey, assertValidPrefix, isValidKey, MAX_KEY_BYTES, MAX_SEGMENT_BYTES } from './object-key.ts';
export * from './keys.ts';
export { DATABASE_FOLDER, LocalFolderStore, STAGING_FOLDER, type LocalFolderStoreOptions } from './local-folder-store.ts';
export { S3Store, DEFAULT_PART_SIZE_BYTES, type S3StoreOptions } from './s3-store.ts';
export { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry.ts';
export {
  createBlobStore,
  parseStorageConfig,
  storageConfigFromEnv,
  STORAGE_ENV_NAMES,
  storageConfigSchema,
  type LocalStorageConfig,
  type S3StorageConfig,
  type StorageConfig,
  type StorageConfigInput,
} from './config.ts';
