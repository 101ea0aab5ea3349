import { ChecklistValidationError, checkChecklist, readDataFile } from './load.ts';

/**
 * `dossier checklists lint <file>`: validates a checklist file the way loading would (rows, conditions, and rules
 * beyond presence: the check exists, its params fit, appliesWhen binds), but returns every problem instead of
 * stopping at the first file-level one. Problems are in Chinese and name the row or the rule.
 */
export interface LintResult {
  ok: boolean;
  problems: string[];
  /** Row count when the file is valid. */
  rows?: number;
}

export function lintChecklistFile(path: string): LintResult {
  let raw: unknown;
  try {
    raw = readDataFile(path);
  } catch (error) {
    if (error instanceof ChecklistValidationError) return { ok: false, problems: error.problems };
    throw error;
  }
  return lintChecklistData(raw, path);
}

/** The same checks on data already parsed (a checklist uploaded through the API, for instance). */
export function lintChecklistData(raw: unknown, path?: string): LintResult {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return { ok: false, problems: ['文件内容应为一个清单对象（含 id、name、rows 等字段）'] };
  const result = checkChecklist(raw, { path, source: path });
  return result.ok ? { ok: true, problems: [], rows: result.checklist.rows.length } : { ok: false, problems: result.problems };
}
