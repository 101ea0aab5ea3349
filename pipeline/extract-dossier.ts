import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FileFinding } from '../extractors/model.ts';
import { extractAll, removeWorkArea, type CheckOptions, type ExtractedFile } from './check-dossier.ts';
import { intake } from './intake/index.ts';

export interface ExtractionResult {
  files: ExtractedFile[];
  skipped: string[];
  findings: FileFinding[];
}

/** Intake and extraction only: what `dossier extract` shows. */
export async function extractDossier(
  options: Pick<CheckOptions, 'input' | 'ocr' | 'extractionLimits' | 'intakeLimits' | 'cache' | 'concurrency' | 'onProgress'>,
): Promise<ExtractionResult> {
  const workDir = await mkdtemp(join(tmpdir(), 'dossier-'));
  try {
    const result = await intake(options.input, {
      workDir,
      limits: options.intakeLimits,
      onEntry: (path) => options.onProgress?.({ stage: 'intake', path }),
    });
    const files = await extractAll(result.files, options).finally(() => removeWorkArea(result.workArea));
    return { files, skipped: result.skipped, findings: result.findings };
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}
