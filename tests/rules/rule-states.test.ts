import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadChecklist, loadFacts } from '../../checklists/load.ts';
import { README_PATH, readmeBlock, shippedRules, stateTable } from '../../checklists/rules/state-table.ts';
import { sharedPath } from '../helpers/shared-data.ts';

/** Rule ids of requirements.md §4, read from its tables (the first cell of each row). */
function requirementRuleIds(): string[] {
  const text = readFileSync(sharedPath('domain', 'requirements.md'), 'utf8');
  const section = text.slice(text.indexOf('\n## 4. Rules beyond presence'), text.indexOf('\n## 5. '));
  return [...section.matchAll(/^\| ((?:GEN|CD|YY|SY|SC|MT)-[A-Z]?\d{2}) \|/gm)].map((m) => m[1]!);
}

const PREFIX_CITY: Record<string, string> = { GEN: 'all', CD: 'changde', YY: 'yiyang', SY: 'shenyang', SC: 'shucheng', MT: 'municipal-template' };

/** Every doc type a rule names: whenPresent/whenAbsent, the reviewer's places, any `docTypes` in its params. */
function docTypesNamed(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) docTypesNamed(v, out);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if ((k === 'docTypes' || k === 'whenPresent' || k === 'whenAbsent' || k === 'unlessDocTypes') && Array.isArray(v)) out.push(...(v as string[]));
      else docTypesNamed(v, out);
    }
  }
  return out;
}

describe('every rule of requirements §4 ends in one of three states', () => {
  const ids = requirementRuleIds();
  const shipped = shippedRules();

  it('reads the 93 rule ids of requirements §4', () => {
    expect(ids).toHaveLength(93);
    expect(new Set(ids).size).toBe(93);
  });

  it('ships each of them exactly once, in its own city, and nothing else', () => {
    const shippedIds = shipped.map((r) => r.rule.id);
    for (const id of ids) expect(shippedIds.filter((x) => x === id), id).toHaveLength(1);
    expect(shippedIds.filter((x) => !ids.includes(x))).toEqual([]);
    for (const { city, rule } of shipped) expect(city, rule.id).toBe(PREFIX_CITY[rule.id.split('-')[0]!]);
  });

  it('puts each in one state with what that state needs', () => {
    for (const { rule } of shipped) {
      expect(['checked', 'asked', 'reviewer'], rule.id).toContain(rule.state);
      if (rule.state === 'reviewer') {
        expect(rule.check, rule.id).toBeUndefined();
        expect(rule.review!.reason.length, rule.id).toBeGreaterThan(5);
        expect(rule.review!.reason, `${rule.id}: one line`).not.toMatch(/\n/);
      } else expect(rule.check, rule.id).toBeTruthy();
      if (rule.state === 'asked') expect(rule.ask!.length, rule.id).toBeGreaterThan(0);
    }
  });

  it('asks only facts an officer can declare, each with a question in Chinese', () => {
    const facts = loadFacts().byName;
    for (const { rule } of shipped.filter((r) => r.rule.state === 'asked')) {
      for (const a of rule.ask!) {
        expect(facts.has(a.fact), `${rule.id}: ${a.fact}`).toBe(true);
        expect(a.question, rule.id).toMatch(/[\u4e00-\u9fa5].*？/);
      }
    }
  });

  it('names only doc types of the catalogue', () => {
    const catalogue = loadChecklist('changde').catalogue;
    const known = new Set(catalogue.byId.keys());
    for (const { rule } of shipped) for (const t of docTypesNamed(rule)) expect(known.has(t), `${rule.id}: ${t}`).toBe(true);
  });

  it("quotes each city rule's article verbatim from its seed", () => {
    for (const city of ['changde', 'yiyang', 'shenyang', 'shucheng', 'municipal-template']) {
      const checklist = loadChecklist(city);
      const seed = readFileSync(sharedPath('seeds', checklist.seedFile), 'utf8').replace(/\s+/g, '');
      for (const { rule } of shipped.filter((r) => r.city === city)) {
        for (const part of rule.citation.quote.split('…').map((p) => p.replace(/\s+/g, '')).filter(Boolean)) expect(seed.includes(part), `${rule.id}: ${part}`).toBe(true);
      }
    }
  });

  it('lists each rule with its state in the README, as the data says', () => {
    const block = readmeBlock(readFileSync(README_PATH, 'utf8'));
    expect(block, 'README.md 缺少规则状态表的标记').not.toBeNull();
    expect(block).toBe(stateTable());
    for (const id of ids) expect(block).toContain(`| ${id} |`);
  });
});
