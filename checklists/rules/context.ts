import type { FactValue } from '../conditions/index.ts';
import type { ClockEvent } from '../clock.ts';
import type { DossierTerms } from '../facts/terms-schema.ts';

/** Where a compared value came from: every finding cites one of these for each value it compared. */
export interface RuleEvidence {
  path?: string;
  page?: number;
  quote?: string;
  source?: 'text-layer' | 'ocr';
  label?: string;
}

export interface KnownFact {
  value: FactValue;
  source: 'declared' | 'derived';
  from?: string;
  evidence?: RuleEvidence[];
}

/** One value one document states for a field (e.g. a projectName on page 1 of the contract). */
export interface Statement {
  field: string;
  value: string;
  evidence: RuleEvidence;
  /** Doc types of the stating file, most likely first. */
  docTypes: string[];
}

export interface AmountPairStatement {
  daxieWan: string;
  xiaoxieWan: string;
  evidence: RuleEvidence;
}

export interface RuleFile {
  path: string;
  docTypes: string[];
  sections: Array<{ docType: string; heading: string; page: number }>;
  pages: Array<{ n: number; text: string }>;
}

/** Everything a rule may read: facts (declared win over derived), statements per document, the files. */
export interface RuleContext {
  stage: 'filing' | 'acceptance';
  facts: Readonly<Record<string, KnownFact>>;
  statements: readonly Statement[];
  amountPairs: readonly AmountPairStatement[];
  files: readonly RuleFile[];
  /** The regulation's dates from the checklist (GEN-08): when it came into force and, where it says, until when. */
  regulation?: { entryIntoForce?: string; validUntil?: string };
  /** The clause facts (payment schedule, service periods, certificates, meetings…) with their evidence. */
  terms?: DossierTerms;
  /** The office's record of the dossier (受理, 收齐, 补正 requested and received): time limits leave 补正 time out. */
  events?: readonly ClockEvent[];
}

export interface RuleFinding {
  ruleId: string;
  kind: string;
  severity: 'error' | 'warning';
  message: string;
  article: string;
  evidence: RuleEvidence[];
}
