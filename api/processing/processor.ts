/**
 * What the API needs from whoever checks dossiers. Two implementations: {@link import('./embedded.ts').EmbeddedProcessor}
 * (in this process, the default) and {@link import('./distributed.ts').DistributedProcessor} (BullMQ workers,
 * when REDIS_URL is set). The API writes the dossier record and the uploaded originals to storage before calling
 * `submit`; the processor moves the record through processing → done | failed and writes manifest and report.
 */
export interface DossierProcessor {
  readonly mode: 'embedded' | 'distributed';
  /** Queues a stored dossier. Safe to call twice for the same id (the second run replaces the first's output). */
  submit(dossierId: string): Promise<void>;
  /** Called with the id of every dossier that reached done or failed (webhooks hang here). */
  onFinished(listener: (dossierId: string) => void): void;
  /** Ready to take work (readiness endpoint). */
  ready(): Promise<{ ok: boolean; detail: string }>;
  /** Finishes or abandons in-flight work and releases connections. */
  close(): Promise<void>;
}
