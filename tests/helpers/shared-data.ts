import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the tests and benches find the shared samples, seeds and real files: the `shared` folder beside the
 * repository (`<repo root>/../shared`), wherever the repository is cloned. DOSSIER_SHARED_DIR overrides it.
 * A missing input is an error that names the path, never a reason to skip.
 */

/** This file is <repo root>/tests/helpers/shared-data.ts. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The shared data folder: $DOSSIER_SHARED_DIR if set (relative to the working directory), else <repo root>/../shared. */
export function sharedDir(): string {
  const override = process.env.DOSSIER_SHARED_DIR;
  return override ? resolve(override) : resolve(REPO_ROOT, '..', 'shared');
}

export class SharedDataMissingError extends Error {
  constructor(readonly path: string) {
    const where = process.env.DOSSIER_SHARED_DIR
      ? `DOSSIER_SHARED_DIR=${process.env.DOSSIER_SHARED_DIR}`
      : `DOSSIER_SHARED_DIR is not set, so ${sharedDir()} (beside the repository ${REPO_ROOT}) is used`;
    super(`缺少共享测试数据：${path}（shared data missing: ${path}; ${where}; set DOSSIER_SHARED_DIR to the shared folder）`);
    this.name = 'SharedDataMissingError';
  }
}

/** A file or folder under the shared data folder; throws SharedDataMissingError if it does not exist. */
export function sharedPath(...parts: string[]): string {
  const path = join(sharedDir(), ...parts);
  if (!existsSync(path)) throw new SharedDataMissingError(path);
  return path;
}
