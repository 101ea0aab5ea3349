import { UnrecoverableError } from 'bullmq';
import { OcrEngineError } from '../../../extractors/registry.ts';
import { StorageError } from '../../../storage/index.ts';

/**
 * Decides between "try again later" and "give up now" for a failed job. Retrying is for the infrastructure:
 * storage that is briefly away, an OCR engine that crashed. A bad FILE never gets here (the extractors turn it into a
 * status), and a missing object or a refused credential will not change by waiting, so those fail at once.
 */
export function classifyJobError(error: unknown): Error {
  if (error instanceof UnrecoverableError) return error;
  if (error instanceof OcrEngineError) return error;
  if (error instanceof StorageError) {
    return error.retryable ? error : new UnrecoverableError(error.message);
  }
  return error instanceof Error ? error : new Error(String(error));
}
