import type { FieldCandidate, FieldName, FieldProvenance, FieldValue } from '../../extractors/fields/schema.ts';
import { documentRank, inDocTypeGroup } from '../doc-type-groups.ts';
import type { DocTypeGroupName } from '../catalogue-schema.ts';
import type { DocTypeGroups, FactsDocument } from './input.ts';
import type { AggregatedField } from './schema.ts';

/**
 * How one value is chosen among the candidates of every document: each candidate is evidence with a weight, a
 * document counts once per value, and ties go to the document the catalogue's `documentPrecedence` ranks first.
 */

export interface Evidence {
  candidate: FieldCandidate;
  doc: FactsDocument;
  docIndex: number;
  weight: number;
}

export const score = (e: Evidence) => e.weight * e.candidate.confidence;

/** True when the document carries a doc type of the catalogue group. */
export const inGroup = (catalogue: DocTypeGroups, doc: FactsDocument, group: DocTypeGroupName) => inDocTypeGroup(catalogue, group, doc.docTypes);

export function provenanceOf(evidence: Evidence): FieldProvenance {
  return evidence.candidate.provenance;
}

/** Two candidates state the same value when their keys are equal (organisations by normalised name, amounts by 万元). */
export function valueKey(value: FieldValue): string {
  switch (value.kind) {
    case 'org':
      return value.normalized;
    case 'text':
      return value.text.replace(/\s+/g, '');
    case 'amount':
      return value.wan ?? `?${value.number}`;
    case 'date':
      return value.iso;
    case 'period':
      return `${value.start?.iso ?? ''}/${value.end?.iso ?? ''}`;
    case 'verdict':
      return value.pass ? 'pass' : 'fail';
    case 'docNumber':
      return value.normalized;
    case 'statement':
      return `${value.text}|${value.date?.iso ?? ''}`;
    default:
      return JSON.stringify(value);
  }
}

function alternativesOf(chosen: Evidence, all: Evidence[]): AggregatedField['alternatives'] {
  const seen = new Set<string>([`${valueKey(chosen.candidate.value)}\u0000${chosen.doc.path}`]);
  const alternatives: AggregatedField['alternatives'] = [];
  for (const evidence of all) {
    const key = `${valueKey(evidence.candidate.value)}\u0000${evidence.doc.path}`;
    if (seen.has(key)) continue;
    seen.add(key);
    alternatives.push({ value: evidence.candidate.value, provenance: provenanceOf(evidence), docTypes: evidence.doc.docTypes });
  }
  return alternatives.slice(0, 30);
}

/** The chosen value with how many documents state it and what else was stated. */
export function buildField(chosen: Evidence, all: Evidence[]): AggregatedField {
  const key = valueKey(chosen.candidate.value);
  const support = new Set(all.filter((e) => valueKey(e.candidate.value) === key).map((e) => e.doc.path)).size;
  return {
    value: chosen.candidate.value,
    provenance: provenanceOf(chosen),
    confidence: chosen.candidate.confidence,
    support,
    alternatives: alternativesOf(chosen, all),
  };
}

/**
 * Picks the value with the highest score, where a document contributes its best evidence for a value once
 * (so one document repeating a name does not outvote two documents). Ties go to the better-ranked document.
 */
export function vote(evidence: Evidence[], catalogue: DocTypeGroups): Evidence | null {
  if (evidence.length === 0) return null;
  const rank = (e: Evidence) => documentRank(catalogue, e.doc.docTypes);
  const byValue = new Map<string, Map<string, Evidence>>();
  for (const e of evidence) {
    const key = valueKey(e.candidate.value);
    const perDoc = byValue.get(key) ?? new Map<string, Evidence>();
    const previous = perDoc.get(e.doc.path);
    if (!previous || score(e) > score(previous)) perDoc.set(e.doc.path, e);
    byValue.set(key, perDoc);
  }
  let best: { total: number; rank: number; representative: Evidence } | null = null;
  for (const perDoc of byValue.values()) {
    const items = [...perDoc.values()];
    const total = items.reduce((sum, e) => sum + score(e), 0);
    const representative = items.sort((a, b) => rank(a) - rank(b) || score(b) - score(a))[0]!;
    const representativeRank = rank(representative);
    if (!best || total > best.total + 1e-9 || (Math.abs(total - best.total) <= 1e-9 && representativeRank < best.rank)) {
      best = { total, rank: representativeRank, representative };
    }
  }
  return best?.representative ?? null;
}

/** The candidates of the given fields, each weighted; a weight of 0 leaves a candidate out. */
export function collect(documents: FactsDocument[], fields: readonly FieldName[], weightOf: (c: FieldCandidate, doc: FactsDocument) => number): Evidence[] {
  const evidence: Evidence[] = [];
  documents.forEach((doc, docIndex) => {
    for (const candidate of doc.candidates) {
      if (!fields.includes(candidate.field)) continue;
      const weight = weightOf(candidate, doc);
      if (weight > 0) evidence.push({ candidate, doc, docIndex, weight });
    }
  });
  return evidence;
}

/** The most confident candidate of the fields in the documents the filter admits; among equals the earliest or latest date. */
export function pick(
  documents: FactsDocument[],
  fields: readonly FieldName[],
  docFilter: (doc: FactsDocument) => boolean,
  prefer: 'earliest' | 'latest' | 'none' = 'none',
): AggregatedField | null {
  const evidence = collect(documents, fields, (_c, doc) => (docFilter(doc) ? 1 : 0));
  if (evidence.length === 0) return null;
  const dateOf = (e: Evidence) => (e.candidate.value.kind === 'date' ? e.candidate.value.earliest : '');
  const sorted = [...evidence].sort((a, b) => {
    const byConfidence = b.candidate.confidence - a.candidate.confidence;
    if (Math.abs(byConfidence) > 1e-9) return byConfidence;
    if (prefer === 'earliest') return dateOf(a).localeCompare(dateOf(b));
    if (prefer === 'latest') return dateOf(b).localeCompare(dateOf(a));
    return 0;
  });
  return buildField(sorted[0]!, evidence);
}

/** The first option that finds a value. */
export function firstOf(...options: Array<() => AggregatedField | null>): AggregatedField | null {
  for (const option of options) {
    const result = option();
    if (result) return result;
  }
  return null;
}
