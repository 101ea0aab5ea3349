import { describe, expect, it } from 'vitest';
import {
  BlobNotFoundError,
  CorruptBlobError,
  InvalidKeyError,
  PermanentStorageError,
  STORAGE_ERROR_CODES,
  StorageConfigError,
  TransientStorageError,
} from '../../storage/errors.ts';

const oneOfEach = [
  new BlobNotFoundError('files/x'),
  new InvalidKeyError('../x', '不能包含“..”路径段'),
  new TransientStorageError('暂时不可用'),
  new PermanentStorageError('失败'),
  new CorruptBlobError('a.json', '不是有效的 JSON'),
  new StorageConfigError('配置无效'),
];

describe('when a storage error is raised', () => {
  it('carries a documented code, its own class name and a Chinese message', () => {
    for (const error of oneOfEach) {
      expect(Object.keys(STORAGE_ERROR_CODES)).toContain(error.code);
      expect(error.name).toBe(error.constructor.name);
      expect(error.message).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('documents every code some error uses, and no code that none uses', () => {
    expect(new Set(oneOfEach.map((e) => e.code))).toEqual(new Set(Object.keys(STORAGE_ERROR_CODES)));
  });

  it('says that only transient failures are worth retrying', () => {
    expect(oneOfEach.filter((e) => e.retryable).map((e) => e.name)).toEqual(['TransientStorageError']);
  });
});
