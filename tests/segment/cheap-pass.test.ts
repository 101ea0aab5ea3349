import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFactArguments } from '../../checklists/facts/index.ts';
import { defaultExtractionLimits } from '../../extractors/limits.ts';
import { createOcrPool } from '../../extractors/ocr/index.ts';
import { checkDossier } from '../../pipeline/check-dossier.ts';
import { renderMarkdown } from '../../pipeline/report/render-markdown.ts';
import type { CompletenessReport } from '../../pipeline/report/schema.ts';
import { dossierSpec, volumeDocuments } from '../fixtures/volumes/dossier-volumes.ts';
import { buildLongScannedVolume } from '../fixtures/volumes/long-scanned-volume.ts';
import type { ScannedVolume } from '../fixtures/volumes/scanned-volume.ts';
import { factPairs } from '../helpers/truth.ts';

/**
 * The cheap pass over a long scan (extractors/pdf/skim.ts) against full-page OCR of the same volume: the same
 * documents on the same pages, the same rows and the same field values, and the report names the pages it read only
 * at the top and bottom. The volume is short (22 pages) so the test stays affordable; the threshold is lowered to
 * make it a "long" scan. Speed is measured by `npm run bench` (bench/bound-volume.ts), not here.
 */

const ocr = createOcrPool({ size: 2 });
const ID = 'gen-changde-acceptance-complete';
const NAME = '验收资料汇编（扫描）.pdf';
let root: string;
let volume: ScannedVolume;
let cheap: CompletenessReport;
let full: CompletenessReport;

async function check(skimOcrFromPages: number): Promise<CompletenessReport> {
  const spec = dossierSpec(ID);
  return checkDossier({
    input: path.join(root, NAME),
    checklist: spec.city,
    stage: spec.stage,
    facts: parseFactArguments(factPairs(spec.facts)),
    ocr,
    extractionLimits: { ...defaultExtractionLimits, skimOcrFromPages },
  });
}

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'cheap-pass-'));
  const all = volumeDocuments(dossierSpec(ID));
  // 立项批复, 可研 (5 pages), 系统集成合同 (4), 测试报告 (4), 竣工报告 (4), 监理总结报告 (3).
  const picked = [
    [0, 2],
    [1, 5],
    [7, 4],
    [9, 4],
    [12, 4],
    [13, 3],
  ] as const;
  volume = await buildLongScannedVolume(picked.map(([i, pages]) => ({ document: all[i]!.document, pages })));
  await mkdir(root, { recursive: true });
  await writeFile(path.join(root, NAME), volume.bytes);
  cheap = await check(8);
  full = await check(10_000);
}, 1_200_000);

afterAll(async () => {
  await ocr.close();
  await rm(root, { recursive: true, force: true });
});

const segmentsOf = (r: CompletenessReport) => r.files[0]!.segments.map((s) => ({ firstPage: s.firstPage, lastPage: s.lastPage, role: s.role, docTypes: s.docTypes.map((d) => d.id) }));

describe('the cheap pass over a long scanned volume', () => {
  it('reads some pages only at the top and bottom, and OCRs the rest in full', () => {
    const partial = cheap.files[0]!.segments.flatMap((s) => s.partlyReadPages ?? []);
    expect(partial.length).toBeGreaterThan(0);
    expect(partial.length).toBeLessThan(volume.pageCount);
    expect(full.files[0]!.segments.flatMap((s) => s.partlyReadPages ?? [])).toEqual([]);
    // Each document's first and last page are read in full: its title, head, 落款 and date.
    for (const s of cheap.files[0]!.segments.filter((x) => x.role === 'document')) {
      expect(s.partlyReadPages ?? []).not.toContain(s.firstPage);
      expect(s.partlyReadPages ?? []).not.toContain(s.lastPage);
    }
  });

  it('finds the same documents on the same pages as full-page OCR, each within one page of the truth', () => {
    expect(segmentsOf(cheap)).toEqual(segmentsOf(full));
    const documents = cheap.files[0]!.segments.filter((s) => s.role === 'document');
    expect(documents).toHaveLength(volume.ranges.length);
    documents.forEach((s, i) => {
      expect(Math.abs(s.firstPage - volume.ranges[i]!.firstPage)).toBeLessThanOrEqual(1);
      expect(Math.abs(s.lastPage - volume.ranges[i]!.lastPage)).toBeLessThanOrEqual(1);
    });
  });

  it('gives the same rows and the same field values as full-page OCR', () => {
    const rows = (r: CompletenessReport) => Object.fromEntries(r.requirements.map((x) => [x.id, x.status]));
    expect(rows(cheap)).toEqual(rows(full));
    expect(cheap.requirements.filter((r) => r.status === 'satisfied').length).toBeGreaterThanOrEqual(6);
    const values = (r: CompletenessReport) => Object.fromEntries(Object.entries(r.fields).map(([k, f]) => [k, JSON.stringify((f as { value?: unknown }).value)]));
    expect(values(cheap)).toEqual(values(full));
  });

  it('says in the report, in Chinese, which pages were only partly read', () => {
    const finding = cheap.files[0]!.findings.find((f) => f.code === 'ocr-partial-pages');
    expect(finding?.message).toMatch(/^第 [\d、–]+ 页仅识别了页面顶部和底部/);
    const markdown = renderMarkdown(cheap);
    expect(markdown).toMatch(/第 [\d、–]+ 页仅识别页眉页脚用于分段/);
    expect(renderMarkdown(full)).not.toMatch(/仅识别页眉页脚/);
  });
});
