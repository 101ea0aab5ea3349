import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listChecklists, loadChecklist } from '../../checklists/load.ts';
import { evaluatePresenceDetailed } from '../../checklists/evaluate.ts';
import { sharedPath } from '../helpers/shared-data.ts';

/**
 * The classifier says what a paper is; the checklist says which doc types satisfy a row. Where a city calls the same
 * paper by another type (an any-of alternative with `equivalence`), the article that makes them equivalent is quoted
 * verbatim from the city's seed.
 */

const seedText = (file: string) => readFileSync(join(sharedPath('seeds'), file), 'utf8').replace(/\s+/g, '');

describe('when a row accepts another city name for the same paper', () => {
  for (const summary of listChecklists()) {
    const checklist = loadChecklist(summary.id);
    it(`${checklist.id}: quotes each equivalence verbatim from ${checklist.seedFile}`, () => {
      const seed = seedText(checklist.seedFile);
      const raw = readFileSync(join('checklists', 'jurisdictions', `${checklist.id}.yaml`), 'utf8');
      const quotes = [...raw.matchAll(/equivalence:\s*\n\s*article: (.+)\n\s*quote: (.+)\n/g)].map((m) => m[2]!.trim());
      expect(quotes.length).toBe(raw.split('equivalence:').length - 1);
      for (const quote of quotes) {
        for (const part of quote.split('…').map((p) => p.replace(/\s+/g, '')).filter(Boolean)) expect(seed.includes(part), part).toBe(true);
      }
    });
  }

  it('satisfies the project-approval rows of shenyang, shucheng and changde with the 发展改革委 approval of the feasibility study', () => {
    const file = { path: '关于某项目可行性研究报告的批复.pdf', status: 'ok' as const, docTypes: [{ id: 'feasibility_approval', confidence: 0.95, evidence: { rule: 'title' } }] };
    for (const [city, rowId] of [['shenyang', 'SY-A02'], ['shucheng', 'SC-A12'], ['changde', 'CD-A03']] as const) {
      const row = evaluatePresenceDetailed({ checklist: loadChecklist(city), stage: 'acceptance', facts: {}, files: [file] }).results.find((r) => r.id === rowId)!;
      expect(row.status, `${city} ${rowId}`).toBe('satisfied');
    }
  });

  it('keeps yiyang, where the feasibility approval is a step of its own, from counting it as the project approval', () => {
    const file = { path: '可研批复.pdf', status: 'ok' as const, docTypes: [{ id: 'feasibility_approval', confidence: 0.95, evidence: { rule: 'title' } }] };
    const row = evaluatePresenceDetailed({ checklist: loadChecklist('yiyang'), stage: 'acceptance', facts: { planned: { value: true, source: 'declared' } }, files: [file] }).results.find(
      (r) => r.id === 'YY-A01',
    )!;
    expect(row.status).toBe('missing');
  });
});
