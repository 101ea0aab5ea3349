import { extractFields } from '../../extractors/fields/extract.ts';
import type { FieldCandidate, FieldName } from '../../extractors/fields/schema.ts';
import { fieldValueToScalar } from '../../checklists/facts/index.ts';

export type Source = 'text-layer' | 'ocr';

/** Runs the extractor on pages given as plain strings. */
export function extract(pages: string | string[], source: Source = 'text-layer', path = 'doc.pdf'): FieldCandidate[] {
  const list = Array.isArray(pages) ? pages : [pages];
  return extractFields({ path, pages: list.map((text, i) => ({ n: i + 1, text, source })) });
}

/** The values found for a field, as scalars, most confident first. */
export function valuesOf(candidates: FieldCandidate[], field: FieldName): Array<string | null> {
  return candidates
    .filter((c) => c.field === field)
    .sort((a, b) => b.confidence - a.confidence)
    .map((c) => fieldValueToScalar(c.value));
}

export function best(candidates: FieldCandidate[], field: FieldName): FieldCandidate | undefined {
  return candidates.filter((c) => c.field === field).sort((a, b) => b.confidence - a.confidence)[0];
}
