import { loadChecklist } from '../../checklists/load.ts';
import type { CompletenessReport } from '../report/schema.ts';
import { buildNoticeContent, type NoticeContent, type NoticeOptions } from './content.ts';
import { renderNoticeDocx } from './render-docx.ts';
import { renderNoticePdf } from './render-pdf.ts';

export { buildNoticeContent, chineseDate, NoticeContentSchema, NoticeOptionsSchema, type NoticeContent, type NoticeOptions } from './content.ts';

export type NoticeFormat = 'docx' | 'pdf';

export const NOTICE_MEDIA_TYPES: Record<NoticeFormat, string> = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pdf: 'application/pdf',
};

export interface GeneratedNotice {
  content: NoticeContent;
  format: NoticeFormat;
  bytes: Buffer;
  /** A file name for the download: 一次性告知书-<project>.<ext>. */
  fileName: string;
}

/**
 * The 一次性告知书 for a report. `checklist` is the report's own (its id, or the user's checklist file), needed for the
 * wording of the questions; `now` fixes the 成文日期 when the officer gives none.
 */
export async function generateNotice(
  report: CompletenessReport,
  options: NoticeOptions,
  format: NoticeFormat,
  { checklist = report.checklist.id, now = new Date() }: { checklist?: string; now?: Date } = {},
): Promise<GeneratedNotice> {
  const content = buildNoticeContent(report, loadChecklist(checklist), options, now);
  const bytes = format === 'docx' ? await renderNoticeDocx(content) : await renderNoticePdf(content);
  const project = typeof report.fields.projectName?.value === 'string' ? report.fields.projectName.value : '';
  const safeProject = project.replace(/[\\/:*?"<>|\s]+/g, '').slice(0, 40);
  return { content, format, bytes, fileName: `一次性告知书${safeProject ? `-${safeProject}` : ''}.${format}` };
}
