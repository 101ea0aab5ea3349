import { runDossierFlow, type DossierFlowOptions } from './flow.ts';
import type { CompletenessReport } from './report/schema.ts';

/** What `dossier check` and a batch run: the whole flow (pipeline/flow.ts) in this process, report only. */
export type CheckOptions = Omit<DossierFlowOptions, 'storeContents' | 'inputName'>;

export async function checkDossier(options: CheckOptions): Promise<CompletenessReport> {
  return (await runDossierFlow(options)).report;
}
