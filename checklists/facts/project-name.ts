import { compareProjectNames } from '../../extractors/fields/orgs.ts';
import { buildField, collect, score, vote, type Evidence } from './evidence.ts';
import type { DossierFactsInput } from './input.ts';
import type { AggregatedField, FieldConflict } from './schema.ts';

/**
 * The project's name (GEN-01): names that are the same project after normalisation form one cluster, the cluster most
 * documents support wins, and the other clusters are a conflict.
 */

interface NameCluster {
  members: Evidence[];
  score: number;
}

function nameOf(e: Evidence): string {
  return e.candidate.value.kind === 'text' ? e.candidate.value.text : '';
}

function clusterProjectNames(evidence: Evidence[]): NameCluster[] {
  const clusters: NameCluster[] = [];
  for (const e of evidence) {
    const cluster = clusters.find((c) => compareProjectNames(nameOf(c.members[0]!), nameOf(e)).same);
    if (cluster) cluster.members.push(e);
    else clusters.push({ members: [e], score: 0 });
  }
  // An OCR misreading ("党理系统" for "管理系统") is not another project: fold close OCR variants into the nearest cluster.
  for (const cluster of [...clusters]) {
    if (!cluster.members.every((m) => m.candidate.provenance.source === 'ocr')) continue;
    const target = clusters
      .filter((c) => c !== cluster && c.members.some((m) => m.candidate.provenance.source === 'text-layer'))
      .map((c) => ({ c, cmp: compareProjectNames(nameOf(c.members[0]!), nameOf(cluster.members[0]!), 0.75) }))
      .filter((x) => x.cmp.same)
      .sort((a, b) => b.cmp.similarity - a.cmp.similarity)[0];
    if (target) {
      target.c.members.push(...cluster.members);
      clusters.splice(clusters.indexOf(cluster), 1);
    }
  }
  for (const cluster of clusters) {
    const perDoc = new Map<string, number>();
    for (const m of cluster.members) perDoc.set(m.doc.path, Math.max(perDoc.get(m.doc.path) ?? 0, score(m)));
    cluster.score = [...perDoc.values()].reduce((a, b) => a + b, 0);
  }
  return clusters.sort((a, b) => b.score - a.score);
}

export function aggregateProjectName(input: DossierFactsInput, conflicts: FieldConflict[]): AggregatedField | null {
  const evidence = collect(input.documents, ['projectName'], (c) => (c.via === 'title' ? 0.9 : c.via === 'heading' ? 0.8 : 1));
  const clusters = clusterProjectNames(evidence);
  const top = clusters[0];
  if (!top) return null;
  // Inside the winning cluster, the spelling most documents use (text layer preferred over OCR).
  const chosen = vote(
    top.members.map((m) => ({ ...m, weight: m.weight * (m.candidate.provenance.source === 'ocr' ? 0.8 : 1) })),
    input.catalogue,
  )!;
  const others = clusters.slice(1).filter((c) => c.members.some((m) => m.candidate.confidence >= 0.5));
  if (others.length > 0) {
    conflicts.push({
      field: 'projectName',
      kind: 'values-differ',
      message: '各文件所载项目名称不一致',
      chosen: chosen.candidate.value,
      values: [top, ...others].map((cluster) => ({
        value: cluster.members[0]!.candidate.value,
        sources: cluster.members.map((m) => m.candidate.provenance),
      })),
    });
  }
  return buildField(chosen, evidence);
}
