import { defaultExtractionLimits } from '../../extractors/limits.ts';
import type { ExtractionContext } from '../../extractors/model.ts';
import { sharedPath } from '../helpers/shared-data.ts';

/** For extractors that must never OCR: any OCR call fails the test loudly. */
export function contextWithoutOcr(onPage?: ExtractionContext['onPage']): ExtractionContext {
  return {
    ocr: {
      recognize: async () => {
        throw new Error('OCR must not be used here');
      },
      close: async () => undefined,
    },
    limits: defaultExtractionLimits,
    ...(onPage ? { onPage } : {}),
  };
}

export const SHENYANG_SAMPLE_DIR = sharedPath('samples', 'dossiers', 'sample-03-shenyang-acceptance', '沈阳市社保经办一体化系统升级改造项目验收材料');
