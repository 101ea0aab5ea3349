import { z } from 'zod';
import { CompletenessReportSchema, REPORT_SCHEMA_VERSION } from './schema.ts';

/** The report's JSON Schema, generated from the zod schema so the two can never drift apart. */
export function completenessReportJsonSchema(): Record<string, unknown> {
  return {
    $id: `https://dossier-checker.invalid/schema/completeness-report-${REPORT_SCHEMA_VERSION}.json`,
    title: 'CompletenessReport 材料完整性检查报告',
    ...z.toJSONSchema(CompletenessReportSchema, { io: 'output', unrepresentable: 'any' }),
  };
}
