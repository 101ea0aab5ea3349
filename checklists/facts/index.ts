/**
 * The dossier-level facts, as pure functions over the extracted and classified documents (input.ts):
 *
 *   aggregate.ts      documents → one value per field, with provenance and conflicts; by concern:
 *                       project-name.ts, organisations.ts, investment.ts, dates.ts, amount-checks.ts,
 *                       voting in evidence.ts, which documents count from the catalogue's doc-type groups
 *   terms.ts          documents → the clause facts (terms-schema.ts) the rules beyond presence read; by concern:
 *                       parties.ts, payment.ts, service-periods.ts, changes.ts, testing.ts, certificates.ts,
 *                       meetings.ts, versions.ts
 *   thresholds.ts     the checklist's investment thresholds, read from its conditions
 *   events.ts         the office's record of the dossier (受理, 收齐) → date facts
 *   derive.ts         fields + declared facts → the facts the checklist evaluates and the rules read
 *   rule-inputs.ts    what the rules beyond presence may read
 *   declared.ts       the facts a user declares (`--fact name=value`), parsed against checklists/facts.yaml
 */

export { aggregateFields } from './aggregate.ts';
export { FactArgumentError, parseFactArguments, parseFactValue, type DeclaredFacts } from './declared.ts';
export { EVENT_FACTS, eventFacts } from './events.ts';
export { factsFromFields, presenceFacts, settledFacts, type DossierFact } from './derive.ts';
export type { DocTypeGroups, DossierFactsInput, FactsDocument } from './input.ts';
export { thresholdsStraddled } from './investment.ts';
export { factLookup, ruleContext, type RuleInputsSource } from './rule-inputs.ts';
export { fieldValueToScalar } from './scalar.ts';
export { aggregateTerms, TERM_FACTS, termFacts } from './terms.ts';
export {
  DossierTermsSchema,
  type CertificateTerms,
  type ContractParty,
  type DossierTerms,
  type PaymentSchedule,
  type ServicePeriod,
  type TermEvidence,
} from './terms-schema.ts';
export {
  AGGREGATED_FIELD_NAMES,
  AggregatedFieldSchema,
  AggregatedFieldsSchema,
  AlternativeSchema,
  DocumentFieldsSchema,
  FieldConflictSchema,
  type AggregatedField,
  type AggregatedFieldName,
  type AggregatedFields,
  type FieldConflict,
} from './schema.ts';
export { investmentThresholdsWan } from '../thresholds.ts';
