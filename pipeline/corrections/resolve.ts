import { distance } from 'fastest-levenshtein';
import type { LoadedCatalogue } from '../../checklists/load.ts';

/** A correction that names a doc type or a file the dossier does not have. Usage error: CLI exit 2, API 400. */
export class TypeCorrectionError extends Error {
  override readonly name = 'TypeCorrectionError';

  constructor(
    readonly code: 'UNKNOWN_DOC_TYPE' | 'UNKNOWN_FILE',
    message: string,
    /** What the caller may have meant: doc type ids or file paths. */
    readonly suggestions: string[],
  ) {
    super(message);
  }
}

/**
 * The catalogue id an officer means: the id itself (`feasibility_report`) or the type's Chinese name
 * (`可行性研究报告`). Section keys are not types a file can be, so they are refused like unknown ids.
 */
export function resolveDocType(catalogue: LoadedCatalogue, wanted: string): string {
  const text = wanted.trim();
  const byId = catalogue.docTypes.find((t) => t.id === text);
  if (byId) return byId.id;
  const byName = catalogue.docTypes.find((t) => t.name === text);
  if (byName) return byName.id;
  const close = closest(
    text,
    catalogue.docTypes.map((t) => ({ value: t.id, keys: [t.id, t.name] })),
  );
  const listed = close.map((id) => `${id}（${catalogue.byId.get(id)?.name ?? id}）`);
  throw new TypeCorrectionError(
    'UNKNOWN_DOC_TYPE',
    close.length
      ? `未知的材料类型“${text}”。相近的类型：${listed.join('、')}`
      : `未知的材料类型“${text}”，请使用检查清单目录中的类型编号（如 feasibility_report）或类型名称（如 可行性研究报告）；不属于所需材料时用 ${catalogue.catchAll}（${catalogue.byId.get(catalogue.catchAll)?.name ?? '其他材料'}）`,
    close,
  );
}

export interface CorrectableFile {
  path: string;
  /** Empty for an archive entry that could not be unpacked. */
  sha256: string;
}

/** Refuses a correction whose path (or SHA-256) names no file of the dossier, naming the close paths. */
export function assertKnownFile(files: readonly CorrectableFile[], path: string): void {
  if (files.some((f) => matches(f, path))) return;
  const close = closest(
    path,
    files.map((f) => ({ value: f.path, keys: [f.path, f.path.split('/').pop() ?? f.path] })),
  );
  throw new TypeCorrectionError(
    'UNKNOWN_FILE',
    close.length ? `材料中没有文件“${path}”。相近的文件：${close.join('、')}` : `材料中没有文件“${path}”，请使用报告“文件清单”中的路径`,
    close,
  );
}

export function matches(file: CorrectableFile, path: string): boolean {
  return file.path === path || (file.sha256 !== '' && file.sha256 === path);
}

/**
 * Up to five candidates, closest first: those the text is part of (or that are part of it), then those within a
 * few edits. Typos in ids are the common case (`feasibilty_report`); a partial Chinese name (`可行性`) the other.
 */
function closest(text: string, candidates: Array<{ value: string; keys: string[] }>): string[] {
  const scored: Array<{ value: string; score: number }> = [];
  for (const c of candidates) {
    let best = Number.POSITIVE_INFINITY;
    for (const key of c.keys) {
      if (text.length > 0 && (key.includes(text) || text.includes(key))) best = Math.min(best, 0);
      const d = distance(text, key);
      if (d <= Math.max(2, Math.floor(key.length / 3))) best = Math.min(best, d);
    }
    if (best < Number.POSITIVE_INFINITY) scored.push({ value: c.value, score: best });
  }
  return scored
    .sort((a, b) => a.score - b.score || a.value.localeCompare(b.value))
    .slice(0, 5)
    .map((s) => s.value);
}
