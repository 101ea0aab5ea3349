import mammoth from 'mammoth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFactArguments } from '../../checklists/facts/index.ts';
import { createOcrPool } from '../../extractors/ocr/index.ts';
import { extractPdf } from '../../extractors/pdf/index.ts';
import { contextWith } from '../pdf/recording-ocr.ts';
import { checkDossier } from '../../pipeline/check-dossier.ts';
import { buildNoticeContent, chineseDate, generateNotice } from '../../pipeline/notice/index.ts';
import { loadChecklist } from '../../checklists/load.ts';
import type { CompletenessReport } from '../../pipeline/report/schema.ts';
import { sharedPath } from '../helpers/shared-data.ts';
import { readZipEntries } from '../helpers/zip-reader.ts';
import { runExtractionCache } from '../helpers/run-cache.ts';

const SAMPLE = sharedPath('samples', 'dossiers', 'sample-06-changde-acceptance', '数字档案馆材料.zip');
const ocr = createOcrPool({ size: 2 });
let report: CompletenessReport;

const OPTIONS = {
  issuer: '青禾市数据资源管理局',
  docNumber: '青数据补〔2026〕7号',
  deadline: '2026-10-09',
  officer: '李明',
  contact: '0736-1234567',
  uploadUrl: 'https://dossier.example.gov.cn/s/abcDEF123',
  issuedOn: '2026-09-28',
};

beforeAll(async () => {
  // No facts declared: error- and warning-level rows go missing, one only carrier is unreadable, facts stay questions.
  report = await checkDossier({ input: SAMPLE, checklist: 'changde', stage: 'acceptance', facts: parseFactArguments([]), ocr, cache: runExtractionCache() });
}, 180_000);
afterAll(() => ocr.close());

/** Internal ids (rule ids, fact keys, doc-type ids) that must never reach a project unit. */
function internalIds(text: string): string[] {
  return [...text.matchAll(/\b[A-Z]{2,3}-[A-Z]{1,2}\d{2}\b|\b[a-z]+[A-Z][A-Za-z]+\b|\b[a-z]+_[a-z_]+\b/g)].map((m) => m[0]);
}

/** Every string value inside a plain object (its keys are ours, not the unit's). */
function stringsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsOf);
  if (value && typeof value === 'object') return Object.values(value).flatMap(stringsOf);
  return [];
}

describe('一次性告知书 (one-time notice) for the project unit', () => {
  it('lists every error-level gap with what to submit and the article, advisory gaps apart, and questions in words', () => {
    const content = buildNoticeContent(report, loadChecklist('changde'), OPTIONS);
    const errorGaps = report.requirements.filter((r) => (r.status === 'missing' || r.status === 'unreadable') && r.severity === 'error');
    expect(errorGaps.length).toBeGreaterThan(0);
    expect(content.mustSupply.map((i) => i.title)).toEqual(errorGaps.map((r) => r.title));
    for (const [i, row] of errorGaps.entries()) {
      for (const article of row.basis.article.split(/\s*[;；]\s*/)) expect(content.mustSupply[i]!.basis).toContain(article);
    }
    const warningGaps = report.requirements.filter((r) => (r.status === 'missing' || r.status === 'unreadable') && r.severity === 'warning');
    expect(content.shouldSupply).toHaveLength(warningGaps.length);
    const asked = new Set(report.requirements.filter((r) => r.status === 'needs_confirmation').flatMap((r) => r.unknownFacts));
    expect(asked.size).toBeGreaterThan(0);
    expect(content.questions).toHaveLength(asked.size);
    for (const question of content.questions) expect(question).toMatch(/[？?]$/);
    expect(content.shouldSupply.length).toBeGreaterThan(0);
    expect(content.mustSupply.some((i) => i.note?.includes('无法读取'))).toBe(true);
    expect(content.addressee).toBe(report.fields.constructionUnit?.value);
    expect(content.title).toMatch(/^关于《.+》竣工验收材料补正的一次性告知书$/);
    for (const entry of [...content.mustSupply, ...content.shouldSupply]) expect(entry.basis).toMatch(/^《.+》第.+条/);
    expect(content.deadline).toContain('2026年10月9日前');
    expect(content.dateText).toBe('2026年9月28日');
    expect(internalIds(stringsOf(content).join('\n'))).toEqual([]);
  });

  it('writes a DOCX laid out as a 公文: red 版头 and rule, 文号, title, 主送, numbered items, 落款, date, page numbers', async () => {
    const notice = await generateNotice(report, OPTIONS, 'docx');
    expect(notice.fileName).toMatch(/^一次性告知书-.+\.docx$/);
    const { value: text } = await mammoth.extractRawText({ buffer: notice.bytes });
    const order = [OPTIONS.issuer, OPTIONS.docNumber, notice.content.title, `${notice.content.addressee}：`, '一、必须补正的材料', '1. ', '应提交：', '依据：', '二、建议补充的材料', '三、需要说明的情况', '四、补正期限和方式', OPTIONS.uploadUrl, '经办人：李明；联系电话：0736-1234567', '特此告知。', '2026年9月28日'];
    let at = -1;
    for (const piece of order) {
      const found = text.indexOf(piece, at + 1);
      expect(found, `“${piece}” after position ${at}`).toBeGreaterThan(at);
      at = found;
    }
    const parts = new Map((await readZipEntries(notice.bytes)).map((e) => [e.name, e.data.toString('utf8')]));
    const documentXml = parts.get('word/document.xml')!;
    expect(documentXml).toContain('w:color w:val="FF0000"');
    expect(documentXml).toContain('仿宋_GB2312');
    expect(documentXml).toMatch(/<w:pgMar w:top="209[78]"/);
    const settings = parts.get('word/settings.xml')!;
    expect(settings).toContain('w:evenAndOddHeaders');
    const footers = [...parts].filter(([name]) => /word\/footer\d+\.xml/.test(name)).map(([, xml]) => xml);
    expect(footers.join()).toMatch(/PAGE/);
    expect([...parts.keys()].some((n) => n.startsWith('word/media/'))).toBe(true);
  });

  it('writes a PDF with the CJK font it ships, readable back as text, with "— n —" page numbers', async () => {
    const notice = await generateNotice(report, OPTIONS, 'pdf');
    expect(notice.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const extracted = await extractPdf({ bytes: notice.bytes, path: 'notice.pdf', kind: 'pdf' }, contextWith(ocr));
    const text = extracted.pages.map((p) => p.text).join('\n').replace(/\s+/g, '');
    for (const piece of [OPTIONS.issuer, OPTIONS.docNumber, '一次性告知书', '必须补正的材料', '依据', '特此告知', '2026年9月28日', '—1—']) {
      expect(text, piece).toContain(piece.replace(/\s+/g, ''));
    }
    expect(extracted.pages.every((p) => p.source === 'text-layer')).toBe(true);
    if (extracted.pages.length > 1) expect(text).toContain('—2—');
  });

  it('writes dates the Chinese way in Beijing time', () => {
    expect(chineseDate('2024-05-06')).toBe('2024年5月6日');
    // 2024-05-05 17:30 UTC is already 6 May in Beijing.
    expect(chineseDate(new Date('2024-05-05T17:30:00Z'))).toBe('2024年5月6日');
  });

  it('refuses a malformed deadline with a Chinese message', () => {
    expect(() => buildNoticeContent(report, loadChecklist('changde'), { deadline: '10/09/2026' })).toThrow(/补正期限应为 YYYY-MM-DD/);
  });
});
