import type { FactValue } from '../conditions/index.ts';
import { loadFacts } from '../load.ts';

/** Facts the user declared (CLI `--fact`, API); they win over derived ones (checklists/facts.yaml `provenance`). */
export type DeclaredFacts = Record<string, FactValue>;

/** A bad `--fact`: the message says what is wrong in Chinese. */
export class FactArgumentError extends Error {
  override readonly name = 'FactArgumentError';
}

/**
 * Parses `name=value` pairs against the fact catalogue: booleans `true`/`false` (also 是/否), numbers as decimals,
 * dates `YYYY-MM-DD`, sets comma-separated, enums by value.
 */
export function parseFactArguments(pairs: readonly string[], localFacts: ReadonlyMap<string, { type: string }> = new Map()): DeclaredFacts {
  const facts = loadFacts();
  const out: DeclaredFacts = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new FactArgumentError(`事实应写成 名称=值（如 major=true），收到“${pair}”`);
    const name = pair.slice(0, eq).trim();
    const raw = pair.slice(eq + 1).trim();
    const definition = facts.byName.get(name) ?? localFacts.get(name);
    if (!definition) throw new FactArgumentError(`未知事实“${name}”。可用事实见 checklists/facts.yaml`);
    out[name] = parseFactValue(name, raw, definition as { type: string; values?: readonly string[] });
  }
  return out;
}

export function parseFactValue(name: string, raw: string, definition: { type: string; values?: readonly string[] }): FactValue {
  switch (definition.type) {
    case 'boolean': {
      if (['true', '是', 'yes', '1'].includes(raw.toLowerCase())) return true;
      if (['false', '否', 'no', '0'].includes(raw.toLowerCase())) return false;
      throw new FactArgumentError(`事实 ${name} 应为 true 或 false，收到“${raw}”`);
    }
    case 'number':
    case 'integer': {
      const cleaned = raw.replace(/万元$|万$/, '');
      if (!/^-?\d+(\.\d+)?$/.test(cleaned)) throw new FactArgumentError(`事实 ${name} 应为数字（万元），收到“${raw}”`);
      return Number(cleaned);
    }
    case 'date': {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(raw)) throw new FactArgumentError(`事实 ${name} 应为日期 YYYY-MM-DD，收到“${raw}”`);
      return raw;
    }
    case 'enum': {
      if (definition.values && !definition.values.includes(raw)) {
        throw new FactArgumentError(`事实 ${name} 的取值应为 ${definition.values.join('、')} 之一，收到“${raw}”`);
      }
      return raw;
    }
    case 'set': {
      const values = raw.split(/[,，]/).map((v) => v.trim()).filter(Boolean);
      const bad = values.filter((v) => definition.values && !definition.values.includes(v));
      if (bad.length) throw new FactArgumentError(`事实 ${name} 的取值 ${bad.join('、')} 无效，可选：${definition.values?.join('、')}`);
      return values;
    }
    default:
      return raw;
  }
}
