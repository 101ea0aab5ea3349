import { evaluateExpression, type FactLookup, type FactValue } from '../conditions/index.ts';
import { docTypeName, type LoadedChecklist, type LoadedRow } from '../load.ts';
import type { FilingStep, Stage } from '../schema.ts';
import { docTypeGroup } from '../doc-type-groups.ts';
import type { FileIndex } from './files.ts';
import type { EffectiveFact, FactInput } from './schema.ts';

/**
 * Answers fact look-ups for conditions: supplied facts first (declared or derived, as given), then facts implied by
 * the documents present (an acceptance report means an acceptance was held), then derivations. An unknown derived
 * fact reports the facts it derives from, so that the user is asked for what they can actually declare.
 */
export class FactResolver {
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

  /**
   * The filingStep fact (checklists/facts.yaml): declared wins; else approval when a document only the approval step
   * asks for is present.
   */
  filingStep(filingRows: LoadedRow[]): FilingStep {
    const given = this.supplied.get('filingStep');
    if (given && (given.value === 'plan' || given.value === 'approval')) return given.value;
    // A doc type that the plan step also asks for (yiyang's budget_estimate) says nothing about the step;
    // the catalogue's catch-all never does, and its approvalStepEvidence group always does.
    const catalogue = this.checklist.catalogue;
    const planTypes = new Set(filingRows.filter((r) => r.step === 'plan').flatMap((r) => r.docTypes));
    const approvalOnly = new Set(filingRows.filter((r) => r.step === 'approval').flatMap((r) => r.docTypes).filter((t) => !planTypes.has(t)));
    for (const t of docTypeGroup(catalogue, 'approvalStepEvidence')) approvalOnly.add(t);
    approvalOnly.delete(catalogue.catchAll);
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
