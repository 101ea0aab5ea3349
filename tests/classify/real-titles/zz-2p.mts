import { readTitleTable } from './measure.ts';
import { loadCatalogue } from '../../../checklists/load.ts';
import { DocTypeClassifier } from '../../../checklists/classify.ts';
const cat = loadCatalogue(); const c = new DocTypeClassifier(cat);
const rows = [...readTitleTable('dev'), ...readTitleTable('holdout')];
const P: Record<string, (t: string) => string[]> = {
  originalPage: (t) => ['正本', `${t}\n某某科技有限公司\n二〇二四年五月`],
  blankCover: (t) => ['', t],
  logoCover: (t) => ['某某科技有限公司', `${t}\n一、项目概况\n本项目由某某局建设。`],
};
const show = process.argv.includes('--show');
for (const [k, f] of Object.entries(P)) {
  let ex = 0;
  for (const r of rows) {
    const res = c.classify({ path: 'scan.pdf', readable: true, pages: f(r.title).map((text, i) => ({ n: i + 1, text, source: 'text-layer' as const })) });
    const top = res.docTypes[0]?.id ?? '';
    const ok = r.expected === 'none' ? top === cat.catchAll : !res.unsure && top === r.expected;
    if (ok) ex++; else if (show) console.log('  ', r.expected, res.unsure ? 'unsure' : top, r.title);
  }
  console.log(k, ex, (100 * ex / rows.length).toFixed(1));
}
