import { type LoadedChecklist, type FactValue, FactArgumentError, parseFactValue } from '../../pipeline/index.ts';
import { ApiError } from '../errors.ts';

// The questions of a jurisdiction and stage are the pipeline's (the CLI's facts sheet asks the same ones).
export { formFacts, FormFactSchema, type FormFact } from '../../pipeline/index.ts';

/**
 * Declared facts from a request: typed JSON values or text as the CLI takes it (`true`, `是`, `150万元`, `a,b`).
 * `null` (or an empty string) withdraws a declaration. Unknown names and bad values are a 400 naming the fact.
 */
export function parseDeclaredFacts(input: unknown, checklist: LoadedChecklist): Record<string, FactValue | null> {
  if (input === undefined || input === null) return {};
  if (typeof input !== 'object' || Array.isArray(input)) throw new ApiError('VALIDATION_FAILED', 'facts 应为对象，如 {"major": true}');
  const out: Record<string, FactValue | null> = {};
  for (const [name, raw] of Object.entries(input as Record<string, unknown>)) {
    const definition = checklist.facts.byName.get(name);
    if (!definition) throw new ApiError('UNKNOWN_FACT', `未知事实“${name}”`);
    if (raw === null || raw === '') {
      out[name] = null;
      continue;
    }
    const text = Array.isArray(raw) ? raw.map(String).join(',') : typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean' ? String(raw) : undefined;
    if (text === undefined) throw new ApiError('UNKNOWN_FACT', `事实 ${name} 的取值类型不对`);
    try {
      out[name] = parseFactValue(name, text, definition);
    } catch (error) {
      if (error instanceof FactArgumentError) throw new ApiError('UNKNOWN_FACT', error.message);
      throw error;
    }
  }
  return out;
}

/** Applies declarations and withdrawals to the facts already declared. */
export function mergeFacts(current: Record<string, FactValue>, changes: Record<string, FactValue | null>): Record<string, FactValue> {
  const next: Record<string, FactValue> = { ...current };
  for (const [name, value] of Object.entries(changes)) {
    if (value === null) delete next[name];
    else next[name] = value;
  }
  return next;
}
