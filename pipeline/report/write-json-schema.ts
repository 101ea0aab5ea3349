import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { completenessReportJsonSchema } from './json-schema.ts';

const target = fileURLToPath(new URL('../../schema/completeness-report.schema.json', import.meta.url));
writeFileSync(target, `${JSON.stringify(completenessReportJsonSchema(), null, 2)}\n`);
console.log(`已生成 ${target}`);
