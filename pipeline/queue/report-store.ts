import { BlobNotFoundError, reportKey, type BlobStore } from '../../storage/index.ts';
import { renderHtml } from '../report/render-html.ts';
import { renderMarkdown } from '../report/render-markdown.ts';
import { CompletenessReportSchema, type CompletenessReport } from '../report/schema.ts';

/**
 * A dossier's report is three objects. `report.json` is written last and is the commit mark: whoever sees it can
 * rely on the HTML and Markdown next to it being complete and of the same run. Each object is itself all-or-nothing
 * (BlobStore contract), so no reader ever sees a half-written file.
 */
export async function writeReportSet(store: BlobStore, dossierId: string, report: CompletenessReport): Promise<void> {
  await store.put(reportKey(dossierId, 'html'), Buffer.from(renderHtml(report), 'utf8'), { contentType: 'text/html; charset=utf-8' });
  await store.put(reportKey(dossierId, 'md'), Buffer.from(renderMarkdown(report), 'utf8'), { contentType: 'text/markdown; charset=utf-8' });
  await store.putJson(reportKey(dossierId, 'json'), report);
}

/** The finished report, or null while there is none. */
export async function readStoredReport(store: BlobStore, dossierId: string): Promise<CompletenessReport | null> {
  try {
    return await store.getJson(reportKey(dossierId, 'json'), CompletenessReportSchema);
  } catch (error) {
    if (error instanceof BlobNotFoundError) return null;
    throw error;
  }
}

export async function hasStoredReport(store: BlobStore, dossierId: string): Promise<boolean> {
  return (await store.head(reportKey(dossierId, 'json'))) !== null;
}
