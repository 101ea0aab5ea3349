import type { Classification, DocTypeMatch } from '../../checklists/classify.ts';
import { docTypeName, type LoadedCatalogue } from '../../checklists/load.ts';
import { formatBeijingTime } from './beijing-time.ts';
import { assertKnownFile, matches, resolveDocType, type CorrectableFile } from './resolve.ts';
import type { AppliedCorrection, TypeCorrection } from './schema.ts';

/** Finds the correction that applies to a file; a path names one file, a SHA-256 every copy of that content. */
export type CorrectionLookup = (file: CorrectableFile) => TypeCorrection | undefined;

/**
 * Checks every correction against the catalogue and the dossier's files (an unknown type or path is a usage error
 * with close names, never silently ignored) and returns the lookup the evaluate stage uses. For the same file the
 * later correction wins, and one made by path beats one made by content.
 */
export function prepareCorrections(corrections: readonly TypeCorrection[], catalogue: LoadedCatalogue, files: readonly CorrectableFile[]): CorrectionLookup {
  const byPath = new Map<string, TypeCorrection>();
  for (const c of corrections) {
    const docType = resolveDocType(catalogue, c.docType);
    assertKnownFile(files, c.path);
    byPath.set(c.path, { ...c, docType });
  }
  if (byPath.size === 0) return () => undefined;
  return (file) => {
    const exact = byPath.get(file.path);
    if (exact) return exact;
    for (const c of [...byPath.values()].reverse()) if (matches(file, c.path)) return c;
    return undefined;
  };
}

/** What the report's evidence says: "人工指定：可行性研究报告（张三，2026年12月4日 17:05）". */
export function correctionQuote(name: string, correction: Pick<TypeCorrection, 'by' | 'at'>): string {
  return `人工指定：${name}（${correction.by}，${formatBeijingTime(correction.at)}）`;
}

/** How the renderings mark a corrected file: "已人工指定类型（张三，2026年12月4日 17:05；原识别为：项目建议书）". */
export function correctionNote(applied: AppliedCorrection): string {
  const before = applied.classifiedAs.length ? `原识别为：${applied.classifiedAs.map((d) => d.name).join('、')}` : '原未识别出类型';
  return `已人工指定类型（${applied.by}，${formatBeijingTime(applied.at)}；${before}）`;
}

/**
 * The file is what the officer says, and only that: its doc types become the corrected one (with the types the
 * catalogue says it implies, as the classifier adds them), it no longer waits for review, and the classifier's own
 * answer is kept for the report. Sections found in its text stay: they come from headings, not from the type.
 */
export function correctClassification(
  classification: Classification,
  correction: TypeCorrection,
  catalogue: LoadedCatalogue,
): { classification: Classification; applied: AppliedCorrection } {
  const name = docTypeName(catalogue, correction.docType);
  const evidence = { rule: 'officer' as const, quote: correctionQuote(name, correction) };
  const docTypes: DocTypeMatch[] = [{ id: correction.docType, confidence: 1, evidence }];
  for (const implied of catalogue.byId.get(correction.docType)?.implies ?? []) {
    docTypes.push({ id: implied, confidence: 0.95, evidence });
  }
  return {
    classification: {
      ...classification,
      docTypes,
      // An unreadable file the officer has identified counts as that type's unreadable copy.
      nameDocTypes: docTypes.map((d) => d.id),
      // A person decided: nothing left to review, nothing unsure. The candidates stay for the picker.
      needsReview: false,
      grade: 'excellent',
      unsure: false,
    },
    applied: {
      docType: correction.docType,
      name,
      by: correction.by,
      at: correction.at,
      classifiedAs: classification.docTypes.map((d) => ({ id: d.id, name: docTypeName(catalogue, d.id) })),
    },
  };
}
