import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluatePresence, type PresenceFile } from '../../checklists/evaluate.ts';
import { loadChecklist } from '../../checklists/load.ts';
import { sharedPath } from '../helpers/shared-data.ts';
import { declared } from './fact-solver.ts';

/**
 * The sample dossiers' truth.json says which rows a perfect classifier would leave satisfied, missing or not
 * applicable. Feeding the truth's own doc types to the evaluator checks the checklist data and the evaluator against
 * those expectations, independently of classification.
 */

const DOSSIERS = sharedPath('samples', 'dossiers');

interface Truth {
  id: string;
  city: string;
  stage: 'filing' | 'acceptance';
  facts: Record<string, boolean | number | string | string[]>;
  files: Array<{ path: string; docTypes: string[]; sectionTypes?: string[]; corrupt?: boolean; encrypted?: boolean; contentDocTypes?: string[]; duplicateOf?: string }>;
  expectedMissingRows: string[];
  expectedSatisfiedRows: string[];
  expectedNotApplicableRows: string[];
  excludedRows?: Record<string, string>;
}

const truths: Truth[] = readdirSync(DOSSIERS)
  .filter((d) => d.startsWith('sample-'))
  .sort()
  .map((d) => JSON.parse(readFileSync(join(DOSSIERS, d, 'truth.json'), 'utf8')) as Truth);

function filesOf(truth: Truth): PresenceFile[] {
  return truth.files.map((f) => ({
    path: f.path,
    status: f.corrupt ? (f.encrypted ? 'encrypted' : 'unreadable') : 'ok',
    docTypes: f.docTypes.map((id) => ({ id, confidence: 0.9, evidence: { page: 1, rule: 'title' } })),
    sections: (f.sectionTypes ?? []).map((docType) => ({ docType, heading: docType, page: 2 })),
    contentDocTypes: f.contentDocTypes,
  }));
}

describe('when replaying the sample dossiers\' truth through the evaluator', () => {
  it('finds the six samples', () => {
    expect(truths).toHaveLength(6);
  });

  describe.each(truths.map((t) => [t.id, t] as const))('%s', (_id, truth) => {
    const results = evaluatePresence({ checklist: loadChecklist(truth.city), stage: truth.stage, facts: declared(truth.facts), files: filesOf(truth) });
    const statusOf = (id: string) => results.find((r) => r.id === id)?.status;

    it('reports the expected missing rows as missing or unreadable', () => {
      for (const id of truth.expectedMissingRows) expect(['missing', 'unreadable'], id).toContain(statusOf(id));
    });

    it('reports the expected satisfied rows as satisfied', () => {
      for (const id of truth.expectedSatisfiedRows) expect(statusOf(id), id).toBe('satisfied');
    });

    it('reports the expected not-applicable rows as not applicable', () => {
      for (const id of truth.expectedNotApplicableRows) expect(statusOf(id), id).toBe('not_applicable');
    });

    it('leaves no scored row needing confirmation, since the truth declares every fact it needs', () => {
      const excluded = new Set(Object.keys(truth.excludedRows ?? {}));
      expect(results.filter((r) => r.status === 'needs_confirmation' && !excluded.has(r.id)).map((r) => r.id)).toEqual([]);
    });
  });
});
