export { intake, COMPRESSION_RATIO_GRACE_BYTES, type IntakeOptions } from './intake.ts';
export { formatBytes, IntakeError, INTAKE_CODES, intakeFinding, type IntakeCode } from './findings.ts';
export { surveyArchive, type ArchiveVerdict, type DirectoryEntry, type SurveyLimits } from './archive-survey.ts';
export { decodeEntryName, type DecodedEntryName, type NameEncoding } from './entry-names.ts';
export { isJunkEntry } from './junk.ts';
export * from './model.ts';
