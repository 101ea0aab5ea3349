import type { LoadedChecklist } from '../../checklists/load.ts';
import type { Stage } from '../report/schema.ts';

export interface DocTypeChoiceGroup {
  label: string;
  docTypes: Array<{ id: string; name: string }>;
}

/**
 * The types an officer picks from, grouped as the officer thinks of them: first what this checklist asks for at this
 * stage (in the order of its rows), then every other type of the catalogue, then "not a required document".
 */
export function docTypeChoices(checklist: LoadedChecklist, stage: Stage): DocTypeChoiceGroup[] {
  const { catalogue } = checklist;
  const asked = [...new Set(checklist.rows.filter((r) => r.stage === stage).flatMap((r) => r.docTypes))].filter(
    (id) => id !== catalogue.catchAll && catalogue.byId.has(id),
  );
  const others = catalogue.docTypes.filter((t) => t.id !== catalogue.catchAll && !asked.includes(t.id));
  const entry = (id: string) => ({ id, name: catalogue.byId.get(id)!.name });
  return [
    { label: '本阶段清单要求的材料', docTypes: asked.map(entry) },
    { label: '其他材料类型', docTypes: others.map((t) => entry(t.id)) },
    { label: '不属于所需材料', docTypes: [{ id: catalogue.catchAll, name: `${catalogue.byId.get(catalogue.catchAll)?.name ?? '其他材料'}（不属于所需材料）` }] },
  ].filter((g) => g.docTypes.length > 0);
}
