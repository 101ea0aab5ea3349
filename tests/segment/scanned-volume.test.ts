import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFactArguments } from '../../checklists/facts/index.ts';
import { createOcrPool } from '../../extractors/ocr/index.ts';
import { checkDossier } from '../../pipeline/check-dossier.ts';
import type { CompletenessReport } from '../../pipeline/report/schema.ts';
import { renderDocument } from '../fixtures/dossiers/render.ts';
import { dossierSpec, volumeDocuments } from '../fixtures/volumes/dossier-volumes.ts';
import { buildScannedVolume, type ScannedVolume } from '../fixtures/volumes/scanned-volume.ts';
import { factPairs } from '../helpers/truth.ts';

const ocr = createOcrPool({ size: 1 });
const ID = 'gen-changde-acceptance-complete';
const SCAN_NAME = '盖章扫描件.pdf';
let root: string;
let volume: ScannedVolume;
let loose: CompletenessReport;
let scanned: CompletenessReport;

async function check(dir: string): Promise<CompletenessReport> {
  const spec = dossierSpec(ID);
  return checkDossier({ input: dir, checklist: spec.city, stage: spec.stage, facts: parseFactArguments(factPairs(spec.facts)), ocr });
}

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'scanned-volume-'));
  const all = volumeDocuments(dossierSpec(ID));
  // 立项批复 (a 公文), 可行性研究报告 (two pages), 系统集成合同, 竣工报告, 监理总结报告.
  const five = [0, 1, 7, 12, 13].map((i) => all[i]!);
  await mkdir(path.join(root, 'loose'), { recursive: true });
  await mkdir(path.join(root, 'scan'), { recursive: true });
  for (const [i, d] of five.entries()) {
    await writeFile(path.join(root, 'loose', `扫描件${i + 1}.pdf`), (await renderDocument(d.document, 'pdf-scan', { seed: 40 + i })).bytes);
  }
  volume = await buildScannedVolume(five.map((d) => d.document));
  await writeFile(path.join(root, 'scan', SCAN_NAME), volume.bytes);
  loose = await check(path.join(root, 'loose'));
  scanned = await check(path.join(root, 'scan'));
}, 600_000);

afterAll(async () => {
  await ocr.close();
  await rm(root, { recursive: true, force: true });
});

describe('when a scanner operator feeds five documents into one PDF', () => {
  it('finds five documents, each starting within one page of where it really starts', () => {
    const segments = scanned.files[0]!.segments.filter((s) => s.role === 'document');
    expect(segments).toHaveLength(5);
    segments.forEach((s, i) => {
      expect(Math.abs(s.firstPage - volume.ranges[i]!.firstPage)).toBeLessThanOrEqual(1);
      expect(Math.abs(s.lastPage - volume.ranges[i]!.lastPage)).toBeLessThanOrEqual(1);
    });
  });

  it('gives the same rows as the five documents scanned one file each', () => {
    const rows = (r: CompletenessReport) => Object.fromEntries(r.requirements.map((x) => [x.id, x.status]));
    expect(rows(scanned)).toEqual(rows(loose));
    expect(scanned.requirements.filter((r) => r.status === 'satisfied' && r.evidence[0]?.path === SCAN_NAME).length).toBeGreaterThanOrEqual(4);
  });
});
