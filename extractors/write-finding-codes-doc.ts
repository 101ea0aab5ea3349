import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { FINDING_CODES } from './finding-codes.ts';

/** docs/finding-codes.md, generated from the registry (npm run docs:codes); a test keeps the two in step. */

const SOURCE_LABEL = { intake: '解包（intake）', reader: '文件读取', isolation: '读取进程的限制' } as const;
const SEVERITY_LABEL = { error: '错误', warning: '警告', info: '提示' } as const;

export function renderFindingCodesDoc(): string {
  const rows = Object.entries(FINDING_CODES).map(
    ([code, entry]) => `| \`${code}\` | ${SEVERITY_LABEL[entry.severity]} | ${SOURCE_LABEL[entry.source]} | ${entry.meaning} |`,
  );
  return [
    '# 文件与解包发现代码 / Finding codes',
    '',
    '报告中每个文件的 `findings[].code`，以及解包发现（报告 `findings[]` 中 `kind: intake` 的 `ruleId`）只会是下表中的代码。',
    '本页由 `extractors/finding-codes.ts` 生成（`npm run docs:codes`），请勿手工修改。',
    '',
    '| 代码 | 级别 | 来源 | 含义 |',
    '|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}

export const FINDING_CODES_DOC = fileURLToPath(new URL('../docs/finding-codes.md', import.meta.url));

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(FINDING_CODES_DOC, renderFindingCodesDoc());
  console.log(`已写入 ${FINDING_CODES_DOC}`);
}
