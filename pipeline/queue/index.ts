// The distributed mode's public surface: submitting side (API nodes, `dossier submit`) and worker side.
export {
  loadDistributedConfig,
  queueSettingsSchema,
  redisSettingsSchema,
  redactRedisUrl,
  QueueConfigError,
  type DistributedConfig,
  type LoadConfigOptions,
  type QueueSettings,
  type RedisSettings,
} from './config.ts';
export {
  connectForSubmission,
  connectRedis,
  createRedisClient,
  patientConnection,
  redisOptionsFromUrl,
  requireRedisUrl,
  QueueNotConfiguredError,
  QueueUnavailableError,
  type RedisClient,
} from './redis.ts';
export {
  DossierFailedError,
  DossierQueue,
  submitDossier,
  type DossierState,
  type DossierStatus,
  type QueueDeps,
  type Submission,
  type SubmitInput,
} from './client.ts';
export { startDossierWorker, SANDBOX_PROCESSOR_FILE, type DossierWorker, type DossierWorkerOptions } from './worker.ts';
export { readStoredReport } from './report-store.ts';
export {
  DossierManifestSchema,
  dossierIdFor,
  extractJobId,
  reportJobId,
  QUEUE_NAME,
  type DossierManifest,
  type ExtractJobResult,
  type ExtractProgress,
  type ReportJobResult,
} from './model.ts';
