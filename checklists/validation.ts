import { readFileSync } from 'node:fs';
import YAML from 'yaml';
import type { z } from 'zod';

/**
 * What every loader of checklist data shares: the error that lists every problem, reading a YAML/JSON file, and zod
 * issues in Chinese. Kept apart from load.ts so that the rule engine can use them without importing the loader.
 */

/** A data file that does not validate; every problem is listed, in Chinese. */
export class ChecklistValidationError extends Error {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`${source} 校验失败：\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ChecklistValidationError';
  }
}

/** Reads a YAML or JSON file; a syntax error becomes a ChecklistValidationError naming the line. */
export function readDataFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ChecklistValidationError(path, [`无法读取文件：${(error as NodeJS.ErrnoException).code ?? String(error)}`]);
  }
  try {
    return YAML.parse(text, { prettyErrors: true });
  } catch (error) {
    const e = error as { message?: string; linePos?: Array<{ line: number; col: number }> };
    const at = e.linePos?.[0] ? `第${e.linePos[0].line}行第${e.linePos[0].col}列：` : '';
    throw new ChecklistValidationError(path, [`YAML/JSON 语法错误：${at}${(e.message ?? String(error)).split('\n')[0]}`]);
  }
}

/** A zod issue in Chinese, naming the row or the rule by its id where it can. */
export function describeIssue(issue: z.core.$ZodIssue, raw: unknown): string {
  const path = [...issue.path];
  let where = '';
  if ((path[0] === 'rows' || path[0] === 'rules') && typeof path[1] === 'number') {
    const list = (raw as Record<string, Array<{ id?: unknown }> | undefined> | null)?.[path[0]];
    const id = list?.[path[1]]?.id;
    where = `${path[0] === 'rows' ? '行' : '规则'} ${typeof id === 'string' ? id : `#${path[1] + 1}`}：`;
    path.splice(0, 2);
  }
  const field = path.map(String).join('.') || '（整体）';
  if (issue.code === 'invalid_type' && /received undefined/.test(issue.message)) return `${where}缺少必填字段 ${field}`;
  if (/[\u4e00-\u9fff]/.test(issue.message)) return `${where}${field}：${issue.message}`;
  return `${where}字段 ${field} 格式错误（${issue.message}）`;
}
