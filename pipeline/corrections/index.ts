/** An officer's correction of a file's doc type: its model, checks, how it changes a classification and CLI syntax. */
export { AppliedCorrectionSchema, TypeCorrectionSchema, TypeCorrectionsSchema, type AppliedCorrection, type TypeCorrection } from './schema.ts';
export { assertKnownFile, resolveDocType, TypeCorrectionError, type CorrectableFile } from './resolve.ts';
export { correctClassification, correctionNote, correctionQuote, prepareCorrections, type CorrectionLookup } from './apply.ts';
export { parseTypeArguments, TypeArgumentError } from './arguments.ts';
export { docTypeChoices, type DocTypeChoiceGroup } from './choices.ts';
export { formatBeijingTime } from './beijing-time.ts';
