import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { completenessReportJsonSchema } from '../../pipeline/report/json-schema.ts';

describe('the published JSON Schema of the report', () => {
  it('is the one generated from the zod schema (run `npm run schema` after changing the report)', () => {
    const committed = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'schema', 'completeness-report.schema.json'), 'utf8'));
    expect(committed).toEqual(completenessReportJsonSchema());
  });

  it('requires the fields other systems rely on', () => {
    const schema = completenessReportJsonSchema() as { required: string[] };
    expect(schema.required).toEqual(expect.arrayContaining(['schemaVersion', 'city', 'stage', 'complete', 'facts', 'fields', 'files', 'requirements', 'findings', 'summary', 'timings']));
  });
});

describe('when an archive holds no document at all', () => {
  it('says so as an error finding instead of an empty report', async () => {
    const { mkdtemp, writeFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { writeZip } = await import('../helpers/zip-writer.ts');
    const { checkDossier } = await import('../../pipeline/check-dossier.ts');
    const dir = await mkdtemp(join(tmpdir(), 'empty-'));
    const zip = join(dir, '空包.zip');
    await writeFile(zip, writeZip([{ name: '__MACOSX/._a', data: 'x' }, { name: '.DS_Store', data: 'x' }]));
    const noOcr = { recognize: () => Promise.reject(new Error('no OCR expected')), close: async () => {} };
    const report = await checkDossier({ input: zip, checklist: 'yiyang', stage: 'acceptance', ocr: noOcr });
    expect(report.complete).toBe(false);
    expect(report.findings.find((f) => f.ruleId === 'DOSSIER-EMPTY')?.message).toContain('2 个已跳过的系统文件');
  });
});
