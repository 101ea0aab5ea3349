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
