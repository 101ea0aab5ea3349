import { describe, expect, it } from 'vitest';
import type { FactLookup, FactValue } from '../../checklists/conditions/index.ts';
import { loadChecklist } from '../../checklists/load.ts';
import type { KnownFact, RuleContext, RuleFile, Statement } from '../../checklists/rules/context.ts';
import { evaluateRules, type RuleEvaluation } from '../../checklists/rules/engine.ts';
import type { ClockEvent } from '../../checklists/clock.ts';
import { eventFacts } from '../../checklists/facts/events.ts';
import type { DossierTerms } from '../../checklists/facts/terms-schema.ts';

/**
 * Table-driven cases for the rules beyond presence: per rule one dossier where it passes, one where it fires and,
 * where its inputs can be missing, one where it says nothing (or asks). A dossier here is what the rules read: facts
 * (derived ones carry evidence as the fact derivation gives it), statements documents make, and files with their text.
 */
export interface DossierCase {
  stage?: 'filing' | 'acceptance';
  facts?: Record<string, FactValue>;
  /** Facts the officer declared. */
  declared?: Record<string, FactValue>;
  /** [field, value, docType, path] */
  statements?: Array<[string, string, string, string?]>;
  /** [path, docType, text] (one page each; a line break splits lines). */
  files?: Array<[string, string, string]>;
  regulation?: RuleContext['regulation'];
  /** Clause facts (payment schedule, periods, certificates, meetings…); the rest empty, as for a dossier stating none. */
  terms?: Partial<DossierTerms>;
  /** The office's record of the dossier (受理, 收齐, 补正), as the API passes it: facts as events.ts derives them. */
  events?: ClockEvent[];
}

const NO_TERMS: DossierTerms = {
  contracts: [],
  awardee: null,
  paymentSchedule: null,
  maintenancePeriod: null,
  warrantyPeriod: null,
  changes: [],
  testReports: [],
  certificates: [],
  meetings: [],
  versions: [],
  drafters: [],
};

/** A day-precise date as the field extractors give it. */
export function dateValue(iso: string) {
  return { kind: 'date' as const, iso, precision: 'day' as const, earliest: iso, latest: iso };
}

/** Where a clause was read, as the term aggregation records it. */
export function termEvidence(path: string, quote: string) {
  return { path, page: 1, label: '正文', quote, source: 'text-layer' as const };
}

export interface RuleCase {
  rule: string;
  /** The article, as the test name shows it. */
  article: string;
  pass: DossierCase;
  fire: DossierCase;
  /** The fire case's message contains this. */
  says?: string | RegExp;
  /** Inputs missing: no finding (and for an asked rule, its question). */
  silent?: DossierCase;
  /** The fire case's severity when it differs from the rule's. */
  severity?: 'error' | 'warning';
}

export function context(c: DossierCase): { ctx: RuleContext; lookup: FactLookup } {
  const stage = c.stage ?? 'acceptance';
  const facts: Record<string, KnownFact> = { stage: { value: stage, source: 'declared' } };
  for (const [k, v] of Object.entries(c.facts ?? {})) facts[k] = { value: v, source: 'derived', from: `${k}.pdf`, evidence: [{ path: `${k}.pdf`, page: 1, quote: `${k}：${String(v)}` }] };
  for (const [k, f] of Object.entries(eventFacts(c.events ?? []))) facts[k] ??= { ...f, value: f.value as FactValue };
  for (const [k, v] of Object.entries(c.declared ?? {})) facts[k] = { value: v, source: 'declared' };
  const statements: Statement[] = (c.statements ?? []).map(([field, value, docType, path]) => ({
    field,
    value,
    docTypes: [docType],
    evidence: { path: path ?? `${docType}.pdf`, page: 1, quote: `${field}：${value}` },
  }));
  const files: RuleFile[] = (c.files ?? []).map(([path, docType, text]) => ({ path, docTypes: [docType], sections: [], pages: [{ n: 1, text }] }));
  for (const s of statements) if (!files.some((f) => f.path === s.evidence.path)) files.push({ path: s.evidence.path!, docTypes: s.docTypes, sections: [], pages: [{ n: 1, text: '' }] });
  const lookup: FactLookup = (name) => (name in facts ? { known: true, value: facts[name]!.value } : { known: false, unknownFacts: [name] });
  return { ctx: { stage, facts, statements, amountPairs: [], files, regulation: c.regulation, terms: { ...NO_TERMS, ...c.terms }, ...(c.events ? { events: c.events } : {}) }, lookup };
}

export function evaluateCase(city: string, c: DossierCase): RuleEvaluation {
  const { ctx, lookup } = context(c);
  return evaluateRules(loadChecklist(city).boundRules, ctx, lookup);
}

/** One describe per city, one per rule named by its id and article, three cases each. */
export function describeRuleCases(city: string, cases: readonly RuleCase[]): void {
  describe(`${city}: rules beyond presence`, () => {
    const checklist = loadChecklist(city);
    for (const rc of cases) {
      const rule = checklist.boundRules.find((b) => b.rule.id === rc.rule)?.rule;
      describe(`${rc.rule} (${rc.article})`, () => {
        it('is in the checklist with that article', () => {
          expect(rule, rc.rule).toBeDefined();
          expect(rule!.citation.article).toContain(rc.article.split(/[;；]/)[0]!.trim());
        });

        it('passes a dossier that meets it', () => {
          const out = evaluateCase(city, rc.pass);
          expect(out.findings.filter((f) => f.ruleId === rc.rule)).toEqual([]);
          expect(out.questions.filter((q) => q.ruleId === rc.rule)).toEqual([]);
        });

        it('fires on a dossier that breaches it, citing the article and the evidence compared', () => {
          const out = evaluateCase(city, rc.fire);
          const found = out.findings.filter((f) => f.ruleId === rc.rule);
          expect(found.length, JSON.stringify(out.questions)).toBeGreaterThan(0);
          expect(found[0]!.article).toBe(rule!.citation.article);
          expect(found[0]!.severity).toBe(rc.severity ?? rule!.severity);
          if (rc.says) expect(found.map((f) => f.message).join('\n')).toMatch(rc.says);
          // A finding about documents names them; one that compared values quotes each value's source.
          for (const f of found) for (const e of f.evidence) expect(e.path ?? e.label, f.message).toBeTruthy();
        });

        if (rc.silent) {
          it(rule?.state === 'asked' ? 'asks its question in Chinese while the fact is unknown' : 'says nothing while its inputs are missing', () => {
            const out = evaluateCase(city, rc.silent!);
            expect(out.findings.filter((f) => f.ruleId === rc.rule)).toEqual([]);
            if (rule?.state === 'asked') {
              const q = out.questions.filter((x) => x.ruleId === rc.rule);
              expect(q.map((x) => x.fact)).toEqual(rule.ask!.map((a) => a.fact));
              for (const x of q) expect(x.question).toMatch(/[\u4e00-\u9fa5]+.*？/);
            }
          });
        }
      });
    }
  });
}
