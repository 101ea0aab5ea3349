export { createOcrPool, OcrPoolClosedError, type OcrPool, type OcrPoolOptions, type OcrPoolStats } from './pool.ts';
export { getSharedOcrPool, closeSharedOcrPool } from './shared-pool.ts';
export { normalizeOcrText, removeSpacesBetweenHan } from './han-spacing.ts';
export {
  OcrInputError,
  chooseOcrScale,
  openImage,
  prepareImageForOcr,
  refuseTooLarge,
  type ImageDimensions,
  type PreparedOcrImage,
} from './preprocess.ts';
export { OCR_ENGINE_VERSION, OCR_LANGUAGE, OCR_MODEL_FOLDER, resolveChiSimLangPath } from './traineddata.ts';
