import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { CompletenessReport } from '../../pipeline/report/schema.ts';
import { sharedPath } from './shared-data.ts';

/** The sample dossiers' expected results (../shared/samples/dossiers/README.md). */
export interface Truth {
  id: string;
  city: string;
  stage: 'filing' | 'acceptance';
  archive: string;
  facts: Record<string, unknown>;
  fields: Record<string, string | number | null>;
  files: Array<{ path: string; docTypes: string[]; sectionTypes?: string[]; corrupt?: boolean; duplicateOf?: string }>;
  expectedMissingRows: string[];
  expectedSatisfiedRows: string[];
  expectedNotApplicableRows: string[];
  excludedRows?: Record<string, string>;
}

/** The sample dossiers beside their truth.json, from the shared folder unless `dir` is given. */
export function loadSampleTruths(dir = sharedPath('samples', 'dossiers')): Array<{ dir: string; truth: Truth }> {
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => ({ dir: join(dir, d.name), truth: JSON.parse(readFileSync(join(dir, d.name, 'truth.json'), 'utf8')) as Truth }))
    .sort((a, b) => a.truth.id.localeCompare(b.truth.id));
}

/** `--fact` pairs as the samples' README prescribes: booleans and numbers as written, sets comma-separated. */
export function factPairs(facts: Record<string, unknown>): string[] {
  return Object.entries(facts).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : String(v)}`);
}

export interface Mismatch {
  what: string;
  expected: unknown;
  actual: unknown;
}

/** Compares a report with a truth.json the way the samples' README describes; returns every difference. */
export function compareWithTruth(report: CompletenessReport, truth: Truth): Mismatch[] {
  const out: Mismatch[] = [];
  const byPath = new Map(report.files.map((f) => [f.path.normalize('NFC'), f]));
  const byName = new Map(report.files.map((f) => [f.path.normalize('NFC').split('/').pop()!, f]));
  for (const expected of truth.files) {
    const path = expected.path.normalize('NFC');
    const actual = byPath.get(path) ?? byName.get(path.split('/').pop()!);
    if (!actual) {
      out.push({ what: `file ${path}`, expected: 'present', actual: 'absent' });
      continue;
    }
    if (expected.duplicateOf && actual.duplicateOf) continue;
    const got = actual.status === 'ok' ? actual.docTypes.map((d) => d.id) : [];
    const allowed = new Set([...expected.docTypes, ...(expected.sectionTypes ?? [])]);
    const firstOk = expected.docTypes.length === 0 ? got.length === 0 : got[0] === expected.docTypes[0];
    const allPresent = expected.docTypes.every((t) => got.includes(t));
    const noneExtra = got.every((t) => allowed.has(t));
    if (!firstOk || !allPresent || !noneExtra) out.push({ what: `docTypes of ${path}`, expected: expected.docTypes, actual: got });
  }
  const status = new Map(report.requirements.map((r) => [r.id, r.status]));
  for (const id of truth.expectedMissingRows) {
    const s = status.get(id);
    if (s !== 'missing' && s !== 'unreadable') out.push({ what: `row ${id}`, expected: 'missing', actual: s });
  }
  for (const id of truth.expectedSatisfiedRows) if (status.get(id) !== 'satisfied') out.push({ what: `row ${id}`, expected: 'satisfied', actual: status.get(id) });
  for (const id of truth.expectedNotApplicableRows) {
    if (status.get(id) !== 'not_applicable') out.push({ what: `row ${id}`, expected: 'not_applicable', actual: status.get(id) });
  }
  for (const [name, expected] of Object.entries(truth.fields)) {
    const actual = report.fields[name]?.value ?? null;
    if (!sameFieldValue(expected, actual)) out.push({ what: `field ${name}`, expected, actual });
  }
  return out;
}

function sameFieldValue(expected: string | number | null, actual: string | number | null): boolean {
  if (expected === null) return actual === null;
  if (actual === null) return false;
  if (typeof expected === 'number') return Number(String(actual).replace(/万元$/, '')) === expected;
  return String(actual).normalize('NFC') === expected.normalize('NFC');
}
