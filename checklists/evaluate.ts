import { z } from 'zod';
import { foldForMatching } from '../extractors/normalize.ts';
import {
  describeCondition,
  evaluateCondition,
  evaluateExpression,
  type FactLookup,
  type FactValue,
  type FactWording,
  type Truth,
} from './conditions.ts';
import { ANY_HOST, docTypeName, type LoadedAlternative, type LoadedChecklist, type LoadedRow } from './load.ts';
import type { FilingStep, Stage } from './schema.ts';

/**
 * The presence evaluator (requirements.md §0.2, §2.2, §9): which rows of a jurisdiction's checklist the dossier
 * satisfies. A pure function of the checklist, the facts and the classified files.
 *
 * Order of decisions for one row, and why:
 *  1. A present document satisfies its row whatever the condition (§0.2, §9.2) — so presence is looked at first.
 *  2. Nothing present and the condition false → not applicable.
 *  3. A file that would have satisfied it could not be read → unreadable (the fix is a readable copy, not a new
 *     document; it also outranks "needs confirmation", because the answer to the question would not help).
 *  4. Condition unknown → needs confirmation, naming the facts to declare (§2.2).
 *  5. N/A-able row whose fact says "not applicable" → not applicable with a "请确认不适用" warning (§9.3).
 *  6. Otherwise missing, with the row's severity.
 */

// ---------------------------------------------------------------------------------------------------------------
// Input

export const FactValueSchema = z.union([z.boolean(), z.number(), z.string(), z.array(z.string())]);

export const FactInputSchema = z.object({
  /** null or absent means unknown. */
  value: FactValueSchema.nullable().optional(),
  source: z.enum(['declared', 'derived']),
  /** For a derived fact: the field, file or rule it came from. */
  from: z.string().optional(),
});
export type FactInput = z.infer<typeof FactInputSchema>;

export const FileStatusSchema = z.enum(['ok', 'empty', 'unreadable', 'encrypted', 'unsupported']);
export type FileStatus = z.infer<typeof FileStatusSchema>;

export const PresenceFileSchema = z.object({
  path: z.string(),
  status: FileStatusSchema,
  docTypes: z.array(
    z.object({
      id: z.string(),
      confidence: z.number(),
      evidence: z.object({ page: z.number().optional(), quote: z.string().optional(), rule: z.string() }),
    }),
  ),
  /** Delimited sections of other types inside this file (section-or-file rows). */
  sections: z.array(z.object({ docType: z.string(), heading: z.string(), page: z.number().optional() })).optional(),
  /** What an unreadable file would have been, judged from its name. */
  contentDocTypes: z.array(z.string()).optional(),
});
export type PresenceFile = z.infer<typeof PresenceFileSchema>;

export interface PresenceInput {
  checklist: LoadedChecklist;
  stage: Stage;
  facts: Record<string, FactInput>;
  files: PresenceFile[];
}

// ---------------------------------------------------------------------------------------------------------------
// Output

export const RequirementStatusSchema = z.enum(['satisfied', 'missing', 'not_applicable', 'needs_confirmation', 'unreadable']);
export type RequirementStatus = z.infer<typeof RequirementStatusSchema>;

export const RequirementEvidenceSchema = z.object({
  path: z.string(),
  page: z.number().optional(),
  quote: z.string().optional(),
  docType: z.string(),
  via: z.enum(['file', 'section']),
  /** For a section: its heading and host, in words. */
  label: z.string().optional(),
});
export type RequirementEvidence = z.infer<typeof RequirementEvidenceSchema>;

export const PresenceFindingSchema = z.object({
  ruleId: z.string(),
  kind: z.literal('presence'),
  severity: z.enum(['error', 'warning', 'info']),
  message: z.string(),
  rowId: z.string(),
  article: z.string(),
  evidence: z.array(RequirementEvidenceSchema).default([]),
});
export type PresenceFinding = z.infer<typeof PresenceFindingSchema>;

export const RequirementResultSchema = z.object({
  id: z.string(),
  title: z.string(),
  stage: z.enum(['filing', 'acceptance']),
  step: z.enum(['plan', 'approval']).optional(),
  /** Doc types (or section keys) the row names. */
  docTypes: z.array(z.string()),
  status: RequirementStatusSchema,
  /** Severity of this outcome: the row's for missing/unreadable, warning for needs_confirmation, info when fine. */
  severity: z.enum(['error', 'warning', 'info']),
  /** Severity the row carries when missing (§0.2). */
  rowSeverity: z.enum(['error', 'warning']),
  basis: z.object({
    kind: z.enum(['listed', 'precondition', 'implied', 'output']),
    article: z.string(),
    quote: z.string(),
    /** The quote in Simplified Chinese without annotations, when the seed spells it otherwise (004). */
    quoteNormalised: z.string().optional(),
    seedFile: z.string(),
  }),
  evidence: z.array(RequirementEvidenceSchema),
  unknownFacts: z.array(z.string()).default([]),
  /** The row's condition, as written and in words. */
  condition: z.object({ source: z.string(), text: z.string(), value: z.union([z.boolean(), z.literal('unknown')]) }),
  whatToSubmit: z.string(),
  message: z.string(),
  findings: z.array(PresenceFindingSchema).default([]),
});
export type RequirementResult = z.infer<typeof RequirementResultSchema>;

export interface EffectiveFact {
  value: FactValue;
  source: 'declared' | 'derived';
  from?: string;
}

export interface PresenceEvaluation {
  results: RequirementResult[];
  /** Every finding of every row, in row order. */
  findings: PresenceFinding[];
  /** The facts as the evaluator used them: the input plus what it derived (filingStep, local and derived facts). */
  facts: Record<string, EffectiveFact>;
  /** Filing rows of the approval step when the dossier is at the plan step. */
  skippedRows: Array<{ id: string; reason: string }>;
}

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
      if (step === 'plan' && row.step === 'approval') skippedRows.push({ id: row.id, reason: '申报处于计划申报步骤，立项审批步骤的材料暂不要求' });
    }
  }
  const applicable = stageRows.filter((r) => !(stage === 'filing' && step === 'plan' && r.step === 'approval'));
  const results = attributeSharedDocuments(applicable.map((row) => evaluateRow(row, checklist, facts, index)));
  return { results, findings: results.flatMap((r) => r.findings), facts: facts.effective(), skippedRows };
}

/**
 * §9.6 "two rows, one doc type" (YY-A01 vs YY-A12, YY-A07 vs YY-A22, SY-A08 vs SY-A09): one document satisfies
 * only the row it belongs to. A row whose condition is false gives up a document that a sibling row whose condition
 * holds has already counted, and is then not applicable; a document no sibling claims still satisfies it (§9.2).
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
      message: `条件不成立；该文件已计入 ${owner}（同一类型的文件只计入与其相符的一行）`,
      findings: [],
    };
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Files

interface SectionHit {
  path: string;
  page?: number;
  heading: string;
  docType: string;
  hostTypes: string[];
}

interface FileIndex {
  /** Readable files by doc type. */
  present: Map<string, RequirementEvidence[]>;
  sections: SectionHit[];
  /** Unreadable files by what they would have been. */
  unreadable: Map<string, Array<{ path: string; status: FileStatus }>>;
}

function indexFiles(files: PresenceFile[]): FileIndex {
  const present = new Map<string, RequirementEvidence[]>();
  const sections: SectionHit[] = [];
  const unreadable = new Map<string, Array<{ path: string; status: FileStatus }>>();
  for (const file of files) {
    if (file.status === 'ok') {
      for (const d of file.docTypes) {
        const list = present.get(d.id) ?? [];
        list.push({ path: file.path, page: d.evidence.page, quote: d.evidence.quote, docType: d.id, via: 'file' });
        present.set(d.id, list);
      }
      const hostTypes = file.docTypes.map((d) => d.id);
      for (const s of file.sections ?? []) sections.push({ path: file.path, page: s.page, heading: s.heading, docType: s.docType, hostTypes });
    } else {
      for (const id of new Set([...(file.contentDocTypes ?? []), ...file.docTypes.map((d) => d.id)])) {
        const list = unreadable.get(id) ?? [];
        list.push({ path: file.path, status: file.status });
        unreadable.set(id, list);
      }
    }
  }
  return { present, sections, unreadable };
}

// ---------------------------------------------------------------------------------------------------------------
// Facts

/**
 * Answers fact look-ups for conditions: supplied facts first (declared or derived, as given), then facts implied by
 * the documents present (an acceptance report means an acceptance was held), then derivations. An unknown derived
 * fact reports the facts it derives from, so that the user is asked for what they can actually declare.
 */
class FactResolver {
  private readonly supplied = new Map<string, EffectiveFact>();
  private readonly computed = new Map<string, { known: true; value: FactValue; from: string } | { known: false; unknownFacts: string[] }>();
  private readonly resolving = new Set<string>();

  constructor(
    private readonly checklist: LoadedChecklist,
    input: Record<string, FactInput>,
    stage: Stage,
    private readonly index: FileIndex,
  ) {
    for (const [name, fact] of Object.entries(input)) {
      if (fact.value === null || fact.value === undefined) continue;
      this.supplied.set(name, { value: coerceFactValue(name, fact.value, checklist), source: fact.source, from: fact.from });
    }
    if (!this.supplied.has('stage')) this.supplied.set('stage', { value: stage, source: 'declared', from: '检查阶段' });
    if (!this.supplied.has('cityId') && checklist.facts.byName.get('cityId')?.values?.includes(checklist.id)) {
      this.supplied.set('cityId', { value: checklist.id, source: 'declared', from: '所选检查清单' });
    }
  }

  readonly lookup: FactLookup = (name) => {
    const given = this.supplied.get(name);
    if (given) return { known: true, value: given.value };
    const derived = this.derive(name);
    return derived.known ? { known: true, value: derived.value } : { known: false, unknownFacts: derived.unknownFacts };
  };

  private derive(name: string): { known: true; value: FactValue; from: string } | { known: false; unknownFacts: string[] } {
    const cached = this.computed.get(name);
    if (cached) return cached;
    // A cycle in derivations cannot be decided; report the fact itself.
    if (this.resolving.has(name)) return { known: false, unknownFacts: [name] };
    this.resolving.add(name);
    let result: { known: true; value: FactValue; from: string } | { known: false; unknownFacts: string[] } = { known: false, unknownFacts: [name] };
    const definition = this.checklist.facts.byName.get(name);
    const impliedBy = definition?.impliedByDocTypes.find((t) => this.index.present.has(t));
    if (impliedBy) {
      const file = this.index.present.get(impliedBy)![0]!;
      result = { known: true, value: true, from: `文件 ${file.path}（${docTypeName(this.checklist.catalogue, impliedBy)}）` };
    } else {
      const local = this.checklist.localFacts.find((f) => f.name === name);
      const expression = local?.derivation ?? this.checklist.facts.derivations.get(name);
      if (expression) {
        const value = evaluateExpression(expression, this.lookup);
        result = value.known ? { known: true, value: value.value, from: `推导：${expression.source}` } : { known: false, unknownFacts: value.unknownFacts };
      }
    }
    this.resolving.delete(name);
    this.computed.set(name, result);
    return result;
  }

  /** §2.1 filingStep: declared wins; else approval when a document only the approval step asks for is present. */
  filingStep(filingRows: LoadedRow[]): FilingStep {
    const given = this.supplied.get('filingStep');
    if (given && (given.value === 'plan' || given.value === 'approval')) return given.value;
    // A doc type that the plan step also asks for (yiyang's budget_estimate) says nothing about the step;
    // the catch-all other_material never does.
    const planTypes = new Set(filingRows.filter((r) => r.step === 'plan').flatMap((r) => r.docTypes));
    const approvalOnly = new Set(filingRows.filter((r) => r.step === 'approval').flatMap((r) => r.docTypes).filter((t) => !planTypes.has(t)));
    approvalOnly.add('annual_plan_notice');
    approvalOnly.delete('other_material');
    for (const [type, evidence] of this.index.present) {
      if (!approvalOnly.has(type)) continue;
      const from = `文件 ${evidence[0]!.path} 为${docTypeName(this.checklist.catalogue, type)}，属立项审批步骤材料`;
      this.supplied.set('filingStep', { value: 'approval', source: 'derived', from });
      return 'approval';
    }
    this.supplied.set('filingStep', { value: 'plan', source: 'derived', from: '材料中没有立项审批步骤的文件' });
    return 'plan';
  }

  /** Supplied facts plus every derivable fact that turned out known. */
  effective(): Record<string, EffectiveFact> {
    const out: Record<string, EffectiveFact> = {};
    for (const [name, fact] of this.supplied) out[name] = fact;
    const derivable = [
      ...this.checklist.facts.definitions.filter((d) => d.derivation !== undefined || d.impliedByDocTypes.length > 0).map((d) => d.name),
      ...this.checklist.localFacts.map((f) => f.name),
    ];
    for (const name of derivable) {
      if (out[name]) continue;
      const d = this.derive(name);
      if (d.known) out[name] = { value: d.value, source: 'derived', from: d.from };
    }
    return out;
  }
}

/** Accepts the spellings a command line or a form produces ("true", "50", "a,b") for the fact's declared type. */
export function coerceFactValue(name: string, value: FactValue, checklist: Pick<LoadedChecklist, 'factTable'>): FactValue {
  const sig = checklist.factTable.get(name);
  if (!sig) return value;
  const fail = (): never => {
    throw new TypeError(`事实 ${name} 的值 ${JSON.stringify(value)} 不符合类型 ${sig.type}${sig.values ? `（可选：${sig.values.join('、')}）` : ''}`);
  };
  switch (sig.type) {
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (value === 'true' || value === '是') return true;
      if (value === 'false' || value === '否') return false;
      return fail();
    case 'number':
    case 'integer': {
      const n = typeof value === 'number' ? value : typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : NaN;
      if (!Number.isFinite(n) || (sig.type === 'integer' && !Number.isInteger(n))) return fail();
      return n;
    }
    case 'date':
      if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
      return fail();
    case 'enum':
      if (typeof value === 'string' && (!sig.values || sig.values.includes(value))) return value;
      return fail();
    case 'set': {
      const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(/[,，、]/).map((v) => v.trim()).filter(Boolean) : fail();
      if (sig.values && list.some((v) => !sig.values!.includes(v))) return fail();
      return list;
    }
    case 'string':
      if (typeof value === 'string') return value;
      return fail();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Rows

interface AlternativeMatch {
  alternative: LoadedAlternative;
  evidence: RequirementEvidence[];
  guard: { value: Truth; unknownFacts: string[] } | undefined;
}

function evaluateRow(row: LoadedRow, checklist: LoadedChecklist, facts: FactResolver, index: FileIndex): RequirementResult {
  const wording = (name: string): FactWording | undefined => factWording(checklist, name);
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
  const cite = `（${article}）`;

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
      findings.push(finding('warning', `${row.id} ${row.title}：${warning}`, viaSection));
    }
    return {
      ...base,
      status: 'satisfied',
      severity: findings.length > 0 ? 'warning' : 'info',
      evidence: allowed.evidence,
      message: satisfiedMessage(row, allowed, checklist),
      findings,
    };
  }
  const guarded = matches.filter((m) => m.guard);
  if (guarded.length > 0 && condition.value !== false) {
    const undecided = guarded.filter((m) => m.guard!.value === 'unknown');
    const evidence = guarded.flatMap((m) => m.evidence);
    if (undecided.length > 0) {
      const unknownFacts = unique(undecided.flatMap((m) => m.guard!.unknownFacts));
      const m = undecided[0]!;
      return {
        ...base,
        status: 'needs_confirmation',
        severity: 'warning',
        evidence,
        unknownFacts,
        message: `需确认：仅提供了${m.alternative.label}，该方式仅限${m.alternative.guardText ?? `“${describeCondition(m.alternative.guard!, wording)}”`}，但${describeUnknown(unknownFacts, checklist)}。请确认后再判断${cite}`,
      };
    }
    const m = guarded[0]!;
    return {
      ...base,
      status: 'missing',
      severity: row.severity,
      evidence,
      message: `不符合：仅提供了${m.alternative.label}，但该方式仅限${m.alternative.guardText ?? `“${describeCondition(m.alternative.guard!, wording)}”`}，本项目不满足；须提交${otherAlternatives(row, m.alternative)}${cite}`,
    };
  }

  // 2. Nothing present, condition false.
  if (condition.value === false) {
    return { ...base, status: 'not_applicable', severity: 'info', evidence: [], message: `不适用：条件“${conditionText}”不成立${cite}` };
  }

  // 3. A file that would have satisfied it cannot be read.
  const blocked = unreadableCandidates(row, index);
  if (blocked.length > 0) {
    const list = blocked.map((b) => `${b.path}（${FILE_STATUS_NAMES[b.status]}）`).join('、');
    return {
      ...base,
      status: 'unreadable',
      severity: row.severity,
      evidence: [],
      unknownFacts: condition.unknownFacts,
      message: `无法核对：${list} 应为${row.title}，但文件无法读取，请提供可读的文件${cite}`,
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
      message: `需确认：${describeUnknown(condition.unknownFacts, checklist)}。若“${conditionText}”成立，须提交${row.title}${cite}`,
    };
  }

  // 5. N/A-able and declared not applicable.
  if (row.naWhen) {
    const na = evaluateCondition(row.naWhen, facts.lookup);
    const naText = describeCondition(row.naWhen, wording);
    if (na.value === true) {
      const message = `请确认不适用：${row.id} ${row.title}——已声明“${naText}”，本项按不适用处理${cite}`;
      return { ...base, status: 'not_applicable', severity: 'warning', evidence: [], message, findings: [finding('warning', message)] };
    }
    if (na.value === 'unknown') {
      return {
        ...base,
        status: 'missing',
        severity: row.severity,
        evidence: [],
        unknownFacts: na.unknownFacts,
        message: `缺少${row.title}${cite}。如“${naText}”，可声明${na.unknownFacts.join('、')}后按不适用处理`,
      };
    }
  }

  // 6. Missing.
  return { ...base, status: 'missing', severity: row.severity, evidence: [], message: missingMessage(row, checklist) };
}

function alternativeEvidence(alternative: LoadedAlternative, row: LoadedRow, index: FileIndex): RequirementEvidence[] | undefined {
  const evidence: RequirementEvidence[] = [];
  for (const member of alternative.allOf) {
    const found = memberEvidence(member, row, index);
    if (found.length === 0) return undefined;
    evidence.push(...found);
  }
  return evidence;
}

/** Files first; a section only where the row is section-or-file for that member and the host fits. */
function memberEvidence(member: string, row: LoadedRow, index: FileIndex): RequirementEvidence[] {
  const section = row.requirement.section;
  const files = section?.sectionOnly && section.key === member ? [] : (index.present.get(member) ?? []);
  if (files.length > 0 || !section || section.key !== member) return files;
  const headings = section.headings.map(foldForMatching).filter(Boolean);
  const anyHost = section.hosts.includes(ANY_HOST);
  return index.sections
    .filter((s) => anyHost || s.hostTypes.some((t) => section.hosts.includes(t)))
    .filter((s) => {
      if (s.docType === member) return true;
      const heading = foldForMatching(s.heading);
      return headings.some((h) => heading.includes(h));
    })
    .map((s) => ({
      path: s.path,
      page: s.page,
      quote: s.heading,
      docType: member,
      via: 'section' as const,
      label: `章节“${s.heading}”`,
    }));
}

function unreadableCandidates(row: LoadedRow, index: FileIndex): Array<{ path: string; status: FileStatus }> {
  const out: Array<{ path: string; status: FileStatus }> = [];
  for (const alternative of row.requirement.alternatives) {
    // The alternative must be completable by readable and unreadable files together, with at least one unreadable.
    const missing = alternative.allOf.filter((m) => memberEvidence(m, row, index).length === 0);
    if (missing.length === 0 || missing.some((m) => !index.unreadable.has(m))) continue;
    for (const m of missing) for (const f of index.unreadable.get(m)!) if (!out.some((o) => o.path === f.path)) out.push(f);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Messages

const FILE_STATUS_NAMES: Record<FileStatus, string> = {
  ok: '可读',
  empty: '内容为空',
  unreadable: '无法读取',
  encrypted: '已加密',
  unsupported: '格式不支持',
};

function factWording(checklist: LoadedChecklist, name: string): FactWording | undefined {
  const global = checklist.facts.byName.get(name);
  if (global) return { label: global.label, valueLabels: global.valueLabels };
  const local = checklist.localFacts.find((f) => f.name === name);
  return local ? { label: local.label } : undefined;
}

function factQuestion(checklist: LoadedChecklist, name: string): string | undefined {
  return checklist.facts.byName.get(name)?.question ?? checklist.localFacts.find((f) => f.name === name)?.question;
}

/** "未知事实 major（是否为重大电子政务工程？）" for each unknown fact. */
function describeUnknown(unknownFacts: string[], checklist: LoadedChecklist): string {
  return `未知事实 ${unknownFacts.map((f) => `${f}（${factQuestion(checklist, f) ?? factWording(checklist, f)?.label ?? f}）`).join('、')}`;
}

function satisfiedMessage(row: LoadedRow, match: AlternativeMatch, checklist: LoadedChecklist): string {
  const parts = match.evidence.map((e) =>
    e.via === 'section' ? `${e.path} 中的章节“${e.quote ?? ''}”` : `${e.path}（${docTypeName(checklist.catalogue, e.docType)}）`,
  );
  return `已提供${row.title}：${unique(parts).join('；')}`;
}

function missingMessage(row: LoadedRow, checklist: LoadedChecklist): string {
  const what =
    row.requirement.alternatives.length > 1 ? row.requirement.alternatives.map((a) => a.label).join('或') : row.title;
  const section = row.requirement.section;
  const hosts = section ? section.hosts.filter((h) => h !== ANY_HOST).map((h) => docTypeName(checklist.catalogue, h)) : [];
  const sectionHint = section ? (hosts.length > 0 ? `（也可为${hosts.join('或')}中的相应章节）` : '（也可为其他材料中的相应章节）') : '';
  const severityWord = row.severity === 'error' ? '缺少' : '建议补充';
  return `${severityWord}${what}${sectionHint}（${row.citation.article}：“${row.citation.quoteNormalised ?? row.citation.quote}”）`;
}

function otherAlternatives(row: LoadedRow, except: LoadedAlternative): string {
  const others = row.requirement.alternatives.filter((a) => a !== except).map((a) => a.label);
  return others.length > 0 ? others.join('或') : row.title;
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}
