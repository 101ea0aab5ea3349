import { describeCondition, evaluateCondition, type Truth } from './conditions/index.ts';
import type { LoadedAlternative, LoadedChecklist, LoadedRow } from './load.ts';
import { FactResolver } from './presence/facts.ts';
import { alternativeEvidence, indexFiles, unreadableCandidates, unsureCandidates, type FileIndex } from './presence/files.ts';
import { PLAN_STEP_SKIP_REASON, rowMessages, sharedDocumentMessage } from './presence/messages.ts';
import type { PresenceEvaluation, PresenceFinding, PresenceInput, RequirementEvidence, RequirementResult } from './presence/schema.ts';
import type { FilingStep } from './schema.ts';

export * from './presence/schema.ts';
export { coerceFactValue } from './presence/facts.ts';

/**
 * The presence evaluator: which rows of a jurisdiction's checklist the dossier satisfies. A pure function of the
 * checklist, the facts and the classified files.
 *
 * Order of decisions for one row, and why (../shared/domain/requirements.md §0.2, §2.2 and §9 set it out):
 *  1. A present document satisfies its row whatever the condition — so presence is looked at first.
 *  2. Nothing present and the condition false → not applicable.
 *  3. A file that would have satisfied it could not be read → unreadable (the fix is a readable copy, not a new
 *     document; it also outranks "needs confirmation", because the answer to the question would not help).
 *  3b. The only file that might satisfy it is one the classifier is unsure of → needs confirmation, naming the file
 *     and its likely type (a person decides what the paper is; "missing" would be wrong if it is the paper).
 *  4. Condition unknown → needs confirmation, naming the facts to declare.
 *  5. N/A-able row (`naWhen`) whose facts say "not applicable" → not applicable with a "请确认不适用" warning.
 *  6. Otherwise missing, with the row's severity.
 *
 * The evaluator's input and output schemas live in presence/schema.ts, its sentences in presence/messages.ts, the fact
 * look-ups in presence/facts.ts and the file index in presence/files.ts.
 */

/** One status per applicable row. */
export function evaluatePresence(input: PresenceInput): RequirementResult[] {
  return evaluatePresenceDetailed(input).results;
}

export function evaluatePresenceDetailed(input: PresenceInput): PresenceEvaluation {
  const { checklist, stage } = input;
  const index = indexFiles(input.files);
  const facts = new FactResolver(checklist, input.facts, stage, index);

  const stageRows = checklist.rows.filter((r) => r.stage === stage);
  const skippedRows: PresenceEvaluation['skippedRows'] = [];
  let step: FilingStep | undefined;
  if (stage === 'filing') {
    step = facts.filingStep(stageRows);
    for (const row of stageRows) {
      if (step === 'plan' && row.step === 'approval') skippedRows.push({ id: row.id, reason: PLAN_STEP_SKIP_REASON });
    }
  }
  const applicable = stageRows.filter((r) => !(stage === 'filing' && step === 'plan' && r.step === 'approval'));
  const results = attributeSharedDocuments(applicable.map((row) => evaluateRow(row, checklist, facts, index)));
  return { results, findings: results.flatMap((r) => r.findings), facts: facts.effective(), skippedRows };
}

/**
 * Two rows, one doc type (YY-A01 vs YY-A12, YY-A07 vs YY-A22, SY-A08 vs SY-A09; ../shared/domain/requirements.md
 * §9.6): one document satisfies only the row it belongs to. A row whose condition is false gives up a document that
 * a sibling row whose condition holds has already counted, and is then not applicable; a document no sibling claims
 * still satisfies it.
 */
function attributeSharedDocuments(results: RequirementResult[]): RequirementResult[] {
  const claimed = new Map<string, string>();
  for (const r of results) {
    if (r.status !== 'satisfied' || r.condition.value !== true) continue;
    for (const e of r.evidence) if (e.via === 'file') claimed.set(`${e.path}\u0000${e.docType}`, r.id);
  }
  return results.map((r) => {
    if (r.status !== 'satisfied' || r.condition.value !== false || r.evidence.length === 0) return r;
    const owners = r.evidence.map((e) => (e.via === 'file' ? claimed.get(`${e.path}\u0000${e.docType}`) : undefined));
    if (owners.some((o) => o === undefined)) return r;
    const owner = owners[0]!;
    return {
      ...r,
      status: 'not_applicable' as const,
      severity: 'info' as const,
      evidence: [],
      message: sharedDocumentMessage(owner),
      findings: [],
    };
  });
}

interface AlternativeMatch {
  alternative: LoadedAlternative;
  evidence: RequirementEvidence[];
  guard: { value: Truth; unknownFacts: string[] } | undefined;
}

function evaluateRow(row: LoadedRow, checklist: LoadedChecklist, facts: FactResolver, index: FileIndex): RequirementResult {
  const say = rowMessages(row, checklist);
  const wording = say.wording;
  const condition = evaluateCondition(row.condition, facts.lookup);
  const conditionText = describeCondition(row.condition, wording);
  const article = row.citation.article;
  const base = {
    id: row.id,
    title: row.title,
    stage: row.stage,
    step: row.step,
    docTypes: row.docTypes,
    rowSeverity: row.severity,
    basis: {
      kind: row.basis,
      article,
      quote: row.citation.quote,
      quoteNormalised: row.citation.quoteNormalised,
      seedFile: checklist.seedFile,
    },
    condition: { source: row.condition.source, text: conditionText, value: condition.value },
    whatToSubmit: row.submit,
    unknownFacts: [] as string[],
    findings: [] as PresenceFinding[],
  };
  const finding = (severity: PresenceFinding['severity'], message: string, evidence: RequirementEvidence[] = []): PresenceFinding => ({
    ruleId: row.id,
    kind: 'presence',
    severity,
    message,
    rowId: row.id,
    article,
    evidence,
  });

  const matches: AlternativeMatch[] = [];
  for (const alternative of row.requirement.alternatives) {
    const evidence = alternativeEvidence(alternative, row, index);
    if (!evidence) continue;
    const guard = alternative.guard ? evaluateCondition(alternative.guard, facts.lookup) : undefined;
    matches.push({ alternative, evidence, guard });
  }

  // 1. Present: satisfied whatever the condition, as long as an alternative's own guard allows it.
  const allowed = matches.find((m) => !m.guard || m.guard.value === true);
  if (allowed) {
    const viaSection = allowed.evidence.filter((e) => e.via === 'section');
    const findings: PresenceFinding[] = [];
    const warning = row.requirement.section?.warning;
    // Files are preferred over sections, so section evidence means no separate file was found.
    if (warning && viaSection.length > 0) {
      findings.push(finding('warning', say.sectionWarning(warning), viaSection));
    }
    return {
      ...base,
      status: 'satisfied',
      severity: findings.length > 0 ? 'warning' : 'info',
      evidence: allowed.evidence,
      message: say.satisfied(allowed.evidence),
      findings,
    };
  }
  const guarded = matches.filter((m) => m.guard);
  if (guarded.length > 0 && condition.value !== false) {
    const undecided = guarded.filter((m) => m.guard!.value === 'unknown');
    const evidence = guarded.flatMap((m) => m.evidence);
    if (undecided.length > 0) {
      const unknownFacts = [...new Set(undecided.flatMap((m) => m.guard!.unknownFacts))];
      const m = undecided[0]!;
      return {
        ...base,
        status: 'needs_confirmation',
        severity: 'warning',
        evidence,
        unknownFacts,
        message: say.guardUndecided(m.alternative, unknownFacts),
      };
    }
    const m = guarded[0]!;
    return {
      ...base,
      status: 'missing',
      severity: row.severity,
      evidence,
      message: say.guardNotMet(m.alternative),
    };
  }

  // 2. Nothing present, condition false.
  if (condition.value === false) {
    return { ...base, status: 'not_applicable', severity: 'info', evidence: [], message: say.notApplicable(conditionText) };
  }

  // 3. A file that would have satisfied it cannot be read.
  const blocked = unreadableCandidates(row, index);
  if (blocked.length > 0) {
    return {
      ...base,
      status: 'unreadable',
      severity: row.severity,
      evidence: [],
      unknownFacts: condition.unknownFacts,
      message: say.unreadable(blocked),
    };
  }

  // 3b. Only an unsure file may be it.
  const maybe = unsureCandidates(row, index);
  if (maybe.length > 0) {
    return {
      ...base,
      status: 'needs_confirmation',
      severity: 'warning',
      evidence: maybe.map((f) => ({ path: f.path, docType: f.docType, via: 'file' as const, label: `类型待确认（把握度 ${f.score.toFixed(2)}）` })),
      unknownFacts: condition.unknownFacts,
      message: say.unsureFile(maybe),
    };
  }

  // 4. Condition unknown.
  if (condition.value === 'unknown') {
    return {
      ...base,
      status: 'needs_confirmation',
      severity: 'warning',
      evidence: [],
      unknownFacts: condition.unknownFacts,
      message: say.conditionUnknown(condition.unknownFacts, conditionText),
    };
  }

  // 5. N/A-able and declared not applicable.
  if (row.naWhen) {
    const na = evaluateCondition(row.naWhen, facts.lookup);
    const naText = describeCondition(row.naWhen, wording);
    if (na.value === true) {
      const message = say.declaredNotApplicable(naText);
      return { ...base, status: 'not_applicable', severity: 'warning', evidence: [], message, findings: [finding('warning', message)] };
    }
    if (na.value === 'unknown') {
      return {
        ...base,
        status: 'missing',
        severity: row.severity,
        evidence: [],
        unknownFacts: na.unknownFacts,
        message: say.missingUnlessDeclared(naText, na.unknownFacts),
      };
    }
  }

  // 6. Missing.
  return { ...base, status: 'missing', severity: row.severity, evidence: [], message: say.missing() };
}
