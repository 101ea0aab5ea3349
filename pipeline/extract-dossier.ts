import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FileFinding } from '../extractors/model.ts';
import type { DossierFlowOptions } from './flow.ts';
import { intake } from './intake/index.ts';
import type { ExtractedFile } from './model.ts';
import { extractAll } from './stages/extract.ts';

export interface ExtractionResult {
  files: ExtractedFile[];
  skipped: string[];
  findings: FileFinding[];
}

/** The first stages of the flow only (intake, extract-all, link-duplicates): what `dossier extract` shows. */
export async function extractDossier(
  options: Pick<DossierFlowOptions, 'input' | 'ocr' | 'extractionLimits' | 'intakeLimits' | 'cache' | 'concurrency' | 'onProgress'>,
): Promise<ExtractionResult> {
  const workDir = await mkdtemp(join(tmpdir(), 'dossier-'));
  try {
    const result = await intake(options.input, {
      workDir,
      limits: options.intakeLimits,
      onEntry: (path) => options.onProgress?.({ stage: 'intake', path }),
    });
    const files = await extractAll(result.files, options);
    return { files, skipped: result.skipped, findings: result.findings };
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}
