/**
 * Errors raised by the blob stores. Each one says whether trying the same operation again can help (`retryable`),
 * so a job scheduler can decide between "retry later" and "fail now" without parsing messages.
 * Messages are in Chinese because they reach users through statuses and reports.
 */
/** Every code a StorageError can carry, with what it means for the user; for the API's error-code registry. */
export const STORAGE_ERROR_CODES = {
  BLOB_NOT_FOUND: '对象不存在',
  INVALID_KEY: '对象键名或编号不符合规则',
  STORAGE_TRANSIENT: '存储暂时不可用，稍后重试可能成功',
  STORAGE_FAILED: '存储操作失败，重试无济于事（权限、磁盘已满等）',
  BLOB_CORRUPT: '存储的内容损坏或格式不符',
  STORAGE_CONFIG: '存储配置缺失或无效',
} as const;

export type StorageErrorCode = keyof typeof STORAGE_ERROR_CODES;

export abstract class StorageError extends Error {
  /** Stable machine-readable code; never translated. */
  abstract readonly code: StorageErrorCode;
  /** True when the same call may succeed later (network trouble, overloaded server). */
  abstract readonly retryable: boolean;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The object does not exist. Retrying cannot make it appear. */
export class BlobNotFoundError extends StorageError {
  readonly code = 'BLOB_NOT_FOUND';
  readonly retryable = false;

  constructor(
    readonly key: string,
    options?: { cause?: unknown },
  ) {
    super(`对象不存在：${key}`, options);
  }
}

/** The key (or an id used to build one) breaks the key rules; see storage/object-key.ts. */
export class InvalidKeyError extends StorageError {
  readonly code = 'INVALID_KEY';
  readonly retryable = false;

  constructor(
    readonly key: string,
    /** Why the key was refused, in Chinese. */
    readonly reason: string,
  ) {
    super(`对象键名无效（${JSON.stringify(key)}）：${reason}`);
  }
}

/** Network failure, 5xx, throttling: the storage may work again shortly. */
export class TransientStorageError extends StorageError {
  readonly code = 'STORAGE_TRANSIENT';
  readonly retryable = true;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Access denied, missing bucket permissions, a full disk and the like: repeating the call will fail the same way. */
export class PermanentStorageError extends StorageError {
  readonly code = 'STORAGE_FAILED';
  readonly retryable = false;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A stored JSON object could not be parsed or did not match the expected schema. */
export class CorruptBlobError extends StorageError {
  readonly code = 'BLOB_CORRUPT';
  readonly retryable = false;

  constructor(
    readonly key: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`对象内容损坏或格式不符（${key}）：${detail}`, options);
  }
}

/** The storage settings are missing or wrong; raised at start-up, before any I/O. */
export class StorageConfigError extends StorageError {
  readonly code = 'STORAGE_CONFIG';
  readonly retryable = false;

  constructor(
    message: string,
    /** One Chinese line per problem found. */
    readonly problems: readonly string[] = [],
  ) {
    super(message);
  }
}

export function isStorageError(error: unknown): error is StorageError {
  return error instanceof StorageError;
}
