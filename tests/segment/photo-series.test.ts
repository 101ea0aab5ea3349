import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFactArguments } from '../../checklists/facts/index.ts';
import { createOcrPool } from '../../extractors/ocr/index.ts';
import { checkDossier } from '../../pipeline/check-dossier.ts';
import type { CompletenessReport } from '../../pipeline/report/schema.ts';
import { renderMarkdown } from '../../pipeline/report/render-markdown.ts';
import { renderDocument } from '../fixtures/dossiers/render.ts';
import { dossierSpec, volumeDocuments } from '../fixtures/volumes/dossier-volumes.ts';
import { photographPages } from '../fixtures/volumes/photo-series.ts';
import { factPairs } from '../helpers/truth.ts';

const ocr = createOcrPool({ size: 1 });
const ID = 'gen-changde-acceptance-complete';
let root: string;
let photoNames: string[];
let loose: CompletenessReport;
let photographed: CompletenessReport;

async function check(dir: string): Promise<CompletenessReport> {
  const spec = dossierSpec(ID);
  return checkDossier({ input: dir, checklist: spec.city, stage: spec.stage, facts: parseFactArguments(factPairs(spec.facts)), ocr });
}

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'photo-series-'));
  const all = volumeDocuments(dossierSpec(ID));
  // The 可行性研究报告 photographed page by page, beside the 监理总结报告 as a text PDF; the same two as PDFs.
  const [feasibility, supervision] = [all[1]!, all[13]!];
  for (const dir of ['loose', 'photos']) await mkdir(path.join(root, dir, '照片'), { recursive: true });
  for (const dir of ['loose', 'photos']) await writeFile(path.join(root, dir, '监理总结报告.pdf'), (await renderDocument(supervision.document, 'pdf-text')).bytes);
  await writeFile(path.join(root, 'loose', '可行性研究报告.pdf'), (await renderDocument(feasibility.document, 'pdf-text')).bytes);
  const photos = await photographPages(feasibility.document, 21);
  for (const p of photos) await writeFile(path.join(root, 'photos', '照片', p.name), p.bytes);
  photoNames = photos.map((p) => `照片/${p.name}`);
  loose = await check(path.join(root, 'loose'));
  photographed = await check(path.join(root, 'photos'));
}, 300_000);

afterAll(async () => {
  await ocr.close();
  await rm(root, { recursive: true, force: true });
});

describe('when an officer photographs a report page by page', () => {
  it('counts the photos as one document: as many documents as the loose dossier has files', () => {
    expect(photoNames.length).toBeGreaterThanOrEqual(3);
    expect(photographed.files.filter((f) => !f.seriesOf)).toHaveLength(loose.files.length);
  });

  it('joins the photos into one document of the first photo’s type', () => {
    const head = photographed.files.find((f) => f.path === photoNames[0])!;
    expect(head.series).toEqual(photoNames);
    expect(head.docTypes[0]?.id).toBe('feasibility_report');
    for (const name of photoNames.slice(1)) expect(photographed.files.find((f) => f.path === name)?.seriesOf).toBe(photoNames[0]);
  });

  it('gives the same rows as the report delivered as one PDF', () => {
    const rows = (r: CompletenessReport) => Object.fromEntries(r.requirements.map((x) => [x.id, x.status]));
    expect(rows(photographed)).toEqual(rows(loose));
    const feasibilityRow = photographed.requirements.find((r) => r.evidence.some((e) => e.docType === 'feasibility_report' && e.path === photoNames[0]));
    expect(feasibilityRow?.status).toBe('satisfied');
  });

  it('asks nobody to confirm the later photos, and says in the report that they are one document', () => {
    expect(photographed.requirements.filter((r) => r.status === 'needs_confirmation')).toEqual(loose.requirements.filter((r) => r.status === 'needs_confirmation'));
    expect(renderMarkdown(photographed)).toContain(`${photoNames.join('、')}：可行性研究报告`);
  });
});
