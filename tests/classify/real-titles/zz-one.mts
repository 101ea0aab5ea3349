import { loadCatalogue } from '../../../checklists/load.ts';
import { DocTypeClassifier } from '../../../checklists/classify.ts';
const c = new DocTypeClassifier(loadCatalogue());
for (const text of process.argv.slice(2)) {
  const r = c.classify({ path: 'scan.pdf', readable: true, pages: [{ n: 1, text: text.replaceAll('\\n', '\n'), source: 'text-layer' }] });
  console.log(JSON.stringify(text), '→', r.unsure ? 'UNSURE' : '', r.docTypes.map((d) => `${d.id}:${d.confidence?.toFixed?.(2) ?? ''}`).join(','), '| cand', r.candidates.map((x) => x.id).join('/'), '|', r.docTypes[0]?.evidence?.map?.((e: any) => e.rule + ':' + (e.quote ?? e.term ?? '')).join(';'));
}
