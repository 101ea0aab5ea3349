import type { FactsDocument } from './input.ts';
import type { FieldConflict } from './schema.ts';

/** Amounts a document contradicts itself on (material for GEN-04): 大写 against 小写, and 分项 against the stated total. */
export function selfContradictions(documents: FactsDocument[]): FieldConflict[] {
  const conflicts: FieldConflict[] = [];
  for (const doc of documents) {
    for (const c of doc.candidates) {
      if (c.field === 'itemizedTotal' && c.value.kind === 'itemization' && c.value.equal === false) {
        conflicts.push({
          field: 'itemizedTotal',
          kind: 'itemization-mismatch',
          message: `分项合计 ${c.value.sum}万元 与所列合计 ${c.value.statedTotal.wan}万元 不符`,
          chosen: c.value.statedTotal,
          values: [{ value: c.value, sources: [c.provenance] }],
        });
        continue;
      }
      if (c.field !== 'amountPairs' || c.value.kind !== 'amountPair' || c.value.equal !== false) continue;
      conflicts.push({
        field: 'amountPairs',
        kind: 'daxie-xiaoxie-mismatch',
        message: `金额大写与小写不一致：${c.value.daxie.raw}（${c.value.daxie.wan}万元）与 ${c.value.arabic.raw}（${c.value.arabic.wan}万元）`,
        chosen: c.value.daxie,
        values: [
          { value: c.value.daxie, sources: [c.provenance] },
          { value: c.value.arabic, sources: [c.provenance] },
        ],
      });
    }
  }
  return conflicts;
}
