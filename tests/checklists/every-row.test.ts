import { describe, expect, it } from 'vitest';
import { evaluateCondition, type FactValue } from '../../checklists/conditions/index.ts';
import { evaluatePresence, RequirementResultSchema, type PresenceFile } from '../../checklists/evaluate.ts';
import { listChecklists, loadChecklist, type LoadedChecklist, type LoadedRow } from '../../checklists/load.ts';
import { declared, filesSatisfying, hostWithSection, solveFacts, type Goal } from './fact-solver.ts';

/**
 * Table-driven over the shipped data: every presence row of every checklist can be made missing and can be
 * satisfied, conditional rows can be made not applicable, and an unknown condition asks for its facts.
 */

const checklists = listChecklists().map((c) => loadChecklist(c.id));

function rowResult(checklist: LoadedChecklist, row: LoadedRow, facts: Record<string, FactValue>, files: PresenceFile[]) {
  const stepFact: Record<string, FactValue> = row.step ? { filingStep: row.step } : {};
  const results = evaluatePresence({ checklist, stage: row.stage, facts: declared({ ...stepFact, ...facts }), files });
  for (const r of results) RequirementResultSchema.parse(r);
  const result = results.find((r) => r.id === row.id);
  if (!result) throw new Error(`row ${row.id} was not evaluated`);
  return result;
}

/** Facts that make the row required: condition true, and for N/A-able rows the "not applicable" fact false. */
function requiredFacts(checklist: LoadedChecklist, row: LoadedRow) {
  const goals: Goal[] = [{ condition: row.condition, want: true }];
  if (row.naWhen) goals.push({ condition: row.naWhen, want: false });
  return solveFacts(checklist, goals);
}

for (const checklist of checklists) {
  describe(`checklist ${checklist.id}`, () => {
    describe.each(checklist.rows.map((row) => [row.id, row] as const))('row %s', (_id, row) => {
      it('is missing, with the row severity, when it is required and nothing carries its doc types', () => {
        const result = rowResult(checklist, row, requiredFacts(checklist, row), []);
        expect(result.status).toBe('missing');
        expect(result.severity).toBe(row.severity);
        expect(result.basis.article).toBe(row.citation.article);
        expect(result.message).toContain(row.citation.article);
      });

      it('is satisfied by files carrying its doc types', () => {
        const index = row.requirement.alternatives.findIndex((a) => !a.guard);
        const alternative = row.requirement.alternatives[index === -1 ? 0 : index]!;
        const goals: Goal[] = [{ condition: row.condition, want: true }];
        if (alternative.guard) goals.push({ condition: alternative.guard, want: true });
        const facts = solveFacts(checklist, goals);
        const files = filesSatisfying(row, index === -1 ? 0 : index);
        const result = rowResult(checklist, row, facts, files);
        expect(result.status).toBe('satisfied');
        expect(result.evidence.map((e) => e.path).sort()).toEqual([...new Set(files.map((f) => f.path))].sort());
      });

      if (!row.condition.always) {
        it('is not applicable when its condition is false and nothing is present', () => {
          const facts = solveFacts(checklist, [{ condition: row.condition, want: false }]);
          const result = rowResult(checklist, row, facts, []);
          expect(result.status).toBe('not_applicable');
          expect(result.condition.value).toBe(false);
        });

        it('is still satisfied by a present document when its condition is false', () => {
          const facts = solveFacts(checklist, [{ condition: row.condition, want: false }]);
          const index = Math.max(0, row.requirement.alternatives.findIndex((a) => !a.guard));
          const files = filesSatisfying(row, index);
          const results = evaluatePresence({ checklist, stage: row.stage, facts: declared({ ...(row.step ? { filingStep: row.step } : {}), ...facts }), files });
          const result = results.find((r) => r.id === row.id)!;
          // §9.6: when a sibling row of the same doc type holds and counts the same file, this row gives it up.
          const sibling = results.find(
            (r) => r.id !== row.id && r.status === 'satisfied' && r.condition.value === true && r.evidence.some((e) => result.docTypes.includes(e.docType)),
          );
          expect(result.status).toBe(sibling ? 'not_applicable' : 'satisfied');
        });

        it('needs confirmation naming the facts when they are unknown', () => {
          const unknown = evaluateCondition(row.condition, (name) => ({ known: false, unknownFacts: [name] }));
          // Only conditions that cannot be decided without facts; "a || true"-like ones never occur in the data.
          expect(unknown.value).toBe('unknown');
          const result = rowResult(checklist, row, {}, []);
          expect(result.status).toBe('needs_confirmation');
          expect(result.severity).toBe('warning');
          expect(result.unknownFacts.length).toBeGreaterThan(0);
          // Each unknown fact is named by its question (or label) from the data, never by its key (issue 15).
          for (const fact of result.unknownFacts) {
            const wording = checklist.facts.byName.get(fact) ?? checklist.localFacts.find((f) => f.name === fact);
            expect(wording, fact).toBeDefined();
            expect([wording!.question, wording!.label].some((w) => w && result.message!.includes(w)), `${fact}：${result.message}`).toBe(true);
          }
          expect(result.message).not.toMatch(/[a-z]{3,}/);
        });
      }

      const section = row.requirement.section;
      if (section && !section.sectionOnly && !section.hosts.includes('any')) {
        it(`is satisfied by a delimited section inside its host ${section.hosts[0]}`, () => {
          const facts = requiredFacts(checklist, row);
          const host = hostWithSection(section.hosts[0]!, section.key, section.headings[0]!);
          const result = rowResult(checklist, row, facts, [host]);
          expect(result.status).toBe('satisfied');
          expect(result.evidence[0]).toMatchObject({ path: host.path, via: 'section', page: 3 });
        });

        it('is not satisfied by the same section inside a document that is no host', () => {
          const facts = requiredFacts(checklist, row);
          const nonHost = hostWithSection('training_report', section.key, section.headings[0]!);
          const result = rowResult(checklist, row, facts, [nonHost]);
          expect(result.status).toBe('missing');
        });
      }
    });
  });
}
