import type { ClockEvent } from '../clock.ts';
import type { FactLookup } from '../conditions/index.ts';
import type { RuleContext, RuleFile, Statement } from '../rules/context.ts';
import type { DossierFact } from './derive.ts';
import type { FactsDocument } from './input.ts';
import { fieldValueToScalar } from './scalar.ts';
import { aggregateTerms } from './terms.ts';
import type { DossierTerms } from './terms-schema.ts';

/**
 * What the rules beyond presence may read (checklists/rules/context.ts): the known facts, every value each document
 * states, the 大写/小写 pairs and the readable files. A new rule input is added here.
 */

export interface RuleInputsSource {
  stage: 'filing' | 'acceptance';
  /** The settled facts (settledFacts in derive.ts). */
  facts: Record<string, DossierFact>;
  documents: FactsDocument[];
  /** The readable files, each once (no duplicates), with their pages. */
  files: RuleFile[];
  /** The office's record of the dossier, when it has one (the API's dossiers; not a one-off `dossier check`). */
  events?: readonly ClockEvent[];
}

/**
 * `terms` (terms-schema.ts) rides along with the context for the rules beyond presence: contract parties with their
 * 统一社会信用代码, the awardee, the payment schedule, O&M and warranty periods, change amounts, test reports with
 * CMA/CNAS marks, certificates, meeting evidence, version markers and drafters.
 */
export function ruleContext(source: RuleInputsSource): RuleContext & { terms: DossierTerms } {
  return {
    terms: aggregateTerms(source.documents),
    stage: source.stage,
    facts: Object.fromEntries(Object.entries(source.facts).filter(([, f]) => f.value !== null && f.value !== undefined)) as RuleContext['facts'],
    statements: statementsOf(source.documents),
    amountPairs: amountPairsOf(source.documents),
    files: source.files,
    ...(source.events && source.events.length > 0 ? { events: source.events } : {}),
  };
}

/** How a rule's appliesWhen reads the facts: a fact without a value is unknown. */
export function factLookup(facts: Record<string, DossierFact>): FactLookup {
  return (name) => {
    const f = facts[name];
    return f && f.value !== null && f.value !== undefined ? { known: true, value: f.value } : { known: false, unknownFacts: [name] };
  };
}

/** Every value a document states for the fields the consistency rules compare. */
function statementsOf(documents: FactsDocument[]): Statement[] {
  const out: Statement[] = [];
  for (const file of documents) {
    const seen = new Set<string>();
    for (const c of file.candidates) {
      if (c.confidence < 0.5) continue;
      const scalar = fieldValueToScalar(c.value);
      if (scalar === null) continue;
      const key = `${c.field}\u0000${scalar}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const p = c.provenance;
      out.push({ field: c.field, value: scalar, docTypes: file.docTypes, evidence: { path: p.path, page: p.page, quote: p.quote, source: p.source, label: p.label } });
    }
  }
  return out;
}

function amountPairsOf(documents: FactsDocument[]): RuleContext['amountPairs'] {
  const out: Array<RuleContext['amountPairs'][number]> = [];
  for (const file of documents) {
    for (const c of file.candidates) {
      if (c.value.kind !== 'amountPair') continue;
      const daxie = c.value.daxie.wan;
      const arabic = c.value.arabic.wan;
      if (!daxie || !arabic) continue;
      const p = c.provenance;
      out.push({ daxieWan: daxie, xiaoxieWan: arabic, evidence: { path: p.path, page: p.page, quote: p.quote, source: p.source } });
    }
  }
  return out;
}
