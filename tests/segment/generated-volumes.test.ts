import { copyFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseFactArguments } from '../../checklists/facts/index.ts';
import type { OcrEngine } from '../../extractors/model.ts';
import { checkDossier } from '../../pipeline/check-dossier.ts';
import type { CompletenessReport } from '../../pipeline/report/schema.ts';
import { renderMarkdown } from '../../pipeline/report/render-markdown.ts';
import { dossierSpec, DOCX_VOLUME_NAME, VOLUME_NAME, writeDocxPair, writeDossierPair, type DossierPair } from '../fixtures/volumes/dossier-volumes.ts';
import { factPairs } from '../helpers/truth.ts';

const noOcr: OcrEngine = {
  recognize: () => Promise.reject(new Error('文字版汇编不应调用 OCR')),
  close: () => Promise.resolve(),
};

const made: string[] = [];
afterAll(async () => {
  for (const dir of made) await rm(path.dirname(dir), { recursive: true, force: true });
});

async function check(dir: string, id: string): Promise<CompletenessReport> {
  const spec = dossierSpec(id);
  return checkDossier({ input: dir, checklist: spec.city, stage: spec.stage, facts: parseFactArguments(factPairs(spec.facts)), ocr: noOcr });
}

function rows(report: CompletenessReport): Record<string, string> {
  return Object.fromEntries(report.requirements.map((r) => [r.id, r.status]));
}

const CASES: Array<{ id: string; toc: boolean; numberEachDocument?: boolean; what: string }> = [
  { id: 'gen-changde-acceptance-complete', toc: true, what: 'with a 目录 whose printed page numbers are 2 lower than the PDF’s' },
  { id: 'gen-shucheng-acceptance-complete', toc: false, what: 'without a 目录, numbered straight through' },
  { id: 'gen-mt-filing-gaps', toc: false, numberEachDocument: true, what: 'without a 目录, each document numbered from 1' },
];

describe('when a unit binds the whole dossier into one text PDF', () => {
  for (const c of CASES) {
    describe(`${c.id}, ${c.what}`, () => {
      let pair: DossierPair;
      let loose: CompletenessReport;
      let bound: CompletenessReport;

      it('gives the same rows as the same documents delivered as separate files', async () => {
        pair = await writeDossierPair(dossierSpec(c.id), { toc: c.toc, numberEachDocument: c.numberEachDocument });
        made.push(pair.looseDir);
        loose = await check(pair.looseDir, c.id);
        bound = await check(pair.volumeDir, c.id);
        expect(bound.files).toHaveLength(1);
        expect(rows(bound)).toEqual(rows(loose));
        // The comparison has teeth: the rows rest on several documents of the one file, which unsplit it could not give.
        const satisfied = bound.requirements.filter((r) => r.status === 'satisfied');
        const documents = new Set(satisfied.map((r) => `${r.evidence[0]!.pageRange?.first}`));
        expect(documents.size).toBeGreaterThanOrEqual(3);
      }, 240_000);

      it('finds every document on exactly the pages it was bound on', () => {
        const segments = bound.files[0]!.segments.filter((s) => s.role === 'document');
        expect(segments.map((s) => [s.firstPage, s.lastPage])).toEqual(pair.volume.ranges.map((r) => [r.firstPage, r.lastPage]));
        if (c.toc) expect(bound.files[0]!.segments[0]).toMatchObject({ firstPage: 1, lastPage: 2, role: 'front-matter' });
      });

      it('names the volume and the page range of the document that satisfies each row', () => {
        const ranges = new Map(pair.volume.ranges.map((r) => [`${r.firstPage}-${r.lastPage}`, r.loosePath]));
        for (const r of bound.requirements.filter((x) => x.status === 'satisfied')) {
          const e = r.evidence[0]!;
          expect(e.path, r.id).toBe(VOLUME_NAME);
          expect(ranges.has(`${e.pageRange!.first}-${e.pageRange!.last}`), r.id).toBe(true);
          // The loose dossier's evidence for the row is the document bound on those pages.
          const looseEvidence = loose.requirements.find((x) => x.id === r.id)!.evidence.map((x) => x.path);
          if (e.via === 'file') expect(looseEvidence, r.id).toContain(ranges.get(`${e.pageRange!.first}-${e.pageRange!.last}`));
        }
        const markdown = renderMarkdown(bound);
        const first = pair.volume.ranges[0]!;
        expect(markdown).toContain(`${VOLUME_NAME}，第${first.firstPage}${first.lastPage > first.firstPage ? `–${first.lastPage}` : ''}页：`);
      });
    });
  }
});

describe('when a unit pastes three documents into one Word file, each after a page break', () => {
  const id = 'gen-changde-acceptance-complete';
  let pair: Awaited<ReturnType<typeof writeDocxPair>>;
  let loose: CompletenessReport;
  let bound: CompletenessReport;

  it('gives the same rows as the three documents delivered as separate files', async () => {
    // The 立项批复 (a 公文), the 系统集成合同 and the 竣工报告 with its 自审自查 chapter.
    pair = await writeDocxPair(dossierSpec(id), (all) => [0, 7, 12].map((i) => all[i]!));
    made.push(pair.looseDir);
    loose = await check(pair.looseDir, id);
    bound = await check(pair.volumeDir, id);
    expect(rows(bound)).toEqual(rows(loose));
    expect(bound.requirements.filter((r) => r.status === 'satisfied').length).toBeGreaterThanOrEqual(3);
  }, 120_000);

  it('shows the file as three documents, one per page, each with its own type', () => {
    const file = bound.files.find((f) => f.path === DOCX_VOLUME_NAME)!;
    expect(file.segments.map((s) => [s.firstPage, s.lastPage, s.role])).toEqual([
      [1, 1, 'document'],
      [2, 2, 'document'],
      [3, 3, 'document'],
    ]);
    expect(file.segments.map((s) => s.docTypes[0]?.id)).toEqual(pair.documents.map((d) => d.document.docTypes[0]));
  });
});

describe('when the volume binds a document that is also delivered as a loose file', () => {
  const id = 'gen-shenyang-acceptance-complete';
  let pair: DossierPair;
  let loose: CompletenessReport;
  let both: CompletenessReport;
  let twin: { path: string; range: { firstPage: number; lastPage: number } };

  it('gives the same rows as the loose dossier, the document counted once', async () => {
    pair = await writeDossierPair(dossierSpec(id), { toc: true });
    made.push(pair.looseDir);
    const range = pair.volume.ranges[2]!;
    twin = { path: path.basename(range.loosePath), range };
    await copyFile(path.join(pair.looseDir, range.loosePath), path.join(pair.volumeDir, twin.path));
    loose = await check(pair.looseDir, id);
    both = await check(pair.volumeDir, id);
    expect(rows(both)).toEqual(rows(loose));
  }, 240_000);

  it('links the bound copy to the loose file and takes the evidence from the loose file alone', () => {
    const volume = both.files.find((f) => f.path === VOLUME_NAME)!;
    const linked = volume.segments.filter((s) => s.duplicateOf);
    expect(linked.map((s) => [s.firstPage, s.lastPage, s.duplicateOf])).toEqual([[twin.range.firstPage, twin.range.lastPage, twin.path]]);
    const evidence = both.requirements.flatMap((r) => r.evidence);
    expect(evidence.some((e) => e.path === twin.path)).toBe(true);
    expect(evidence.some((e) => e.path === VOLUME_NAME && e.pageRange?.first === twin.range.firstPage)).toBe(false);
  });
});
