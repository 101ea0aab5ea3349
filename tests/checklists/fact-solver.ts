import { evaluateCondition, type BoundCondition, type BoundExpr, type FactValue, type Truth } from '../../checklists/conditions/index.ts';
import type { FactInput, PresenceFile } from '../../checklists/evaluate.ts';
import type { LoadedChecklist, LoadedRow } from '../../checklists/load.ts';

/**
 * Finds fact values that give each condition a wanted truth value, by trying, for every fact the conditions name,
 * a few values around the constants they compare against. Conditions in the checklists name at most a handful of
 * facts, so the search stays small; it fails loudly rather than guessing.
 */

export interface Goal {
  condition: BoundCondition;
  want: Truth;
}

export function solveFacts(checklist: LoadedChecklist, goals: Goal[]): Record<string, FactValue> {
  const names = [...new Set(goals.flatMap((g) => g.condition.facts))];
  const constants = goals.flatMap((g) => numericConstants(g.condition.expr));
  const candidates = names.map((name) => candidateValues(checklist, name, constants));
  const assignment: Record<string, FactValue> = {};
  const search = (i: number): boolean => {
    if (i === names.length) {
      return goals.every((g) => {
        const outcome = evaluateCondition(g.condition, (name) =>
          name in assignment ? { known: true, value: assignment[name]! } : { known: false, unknownFacts: [name] },
        );
        return outcome.value === g.want;
      });
    }
    for (const value of candidates[i]!) {
      assignment[names[i]!] = value;
      if (search(i + 1)) return true;
    }
    delete assignment[names[i]!];
    return false;
  };
  if (!search(0)) throw new Error(`no fact values satisfy ${goals.map((g) => `${g.condition.source} = ${g.want}`).join(' and ')}`);
  return { ...assignment };
}

function candidateValues(checklist: LoadedChecklist, name: string, constants: number[]): FactValue[] {
  const sig = checklist.factTable.get(name);
  if (!sig) throw new Error(`unknown fact ${name}`);
  switch (sig.type) {
    case 'boolean':
      return [true, false];
    case 'number':
    case 'integer': {
      const around = constants.flatMap((c) => [c - 1, c, c + 1, c * 2 + 1]);
      return [...new Set([0, 1, ...around])].filter((n) => n >= 0).filter((n) => sig.type === 'number' || Number.isInteger(n));
    }
    case 'date':
      return ['2024-01-15', '2024-06-30'];
    case 'enum':
      return [...(sig.values ?? [])];
    case 'set':
      return [[], ...(sig.values ?? []).map((v) => [v])];
    case 'string':
      return ['x'];
  }
}

function numericConstants(e: BoundExpr): number[] {
  switch (e.kind) {
    case 'num':
      return [Number(e.value.n) / Number(e.value.d)];
    case 'not':
    case 'neg':
      return numericConstants(e.operand);
    case 'and':
    case 'or':
    case 'cmp':
    case 'arith':
    case 'coalesce':
      return [...numericConstants(e.left), ...numericConstants(e.right)];
    default:
      return [];
  }
}

export function declared(values: Record<string, FactValue>): Record<string, FactInput> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, { value: v as FactInput['value'], source: 'declared' as const }]));
}

let fileCounter = 0;

/** A readable file carrying exactly these doc types. */
export function fileOf(...docTypes: string[]): PresenceFile {
  fileCounter += 1;
  return {
    path: `材料/${fileCounter}-${docTypes.join('+')}.pdf`,
    status: 'ok',
    docTypes: docTypes.map((id) => ({ id, confidence: 0.9, evidence: { page: 1, quote: id, rule: 'title' } })),
  };
}

/** A readable host file with a delimited section. */
export function hostWithSection(host: string, sectionDocType: string, heading: string): PresenceFile {
  return { ...fileOf(host), sections: [{ docType: sectionDocType, heading, page: 3 }] };
}

/** Files that satisfy an alternative of a row: a file per doc type, a section in a host for section-only keys. */
export function filesSatisfying(row: LoadedRow, alternativeIndex: number): PresenceFile[] {
  const alternative = row.requirement.alternatives[alternativeIndex]!;
  const section = row.requirement.section;
  return alternative.allOf.map((member) => {
    if (section?.sectionOnly && section.key === member) {
      const host = section.hosts.find((h) => h !== 'any') ?? 'other_material';
      return hostWithSection(host, member, section.headings[0]!);
    }
    return fileOf(member);
  });
}
