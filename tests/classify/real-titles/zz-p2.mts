import { PRESENTATIONS, classifyPresented, classifyFileName, readTitleTable } from './measure.ts';
const rows = [...readTitleTable('dev'), ...readTitleTable('holdout')];
for (const [k, f] of Object.entries(PRESENTATIONS)) { const ex = rows.filter((r) => classifyPresented(r, f).exact).length; console.log(k, ex, (100 * ex / rows.length).toFixed(1)); }
const fn = rows.filter((r, i) => classifyFileName(r, i).exact).length; console.log('filename', fn, (100 * fn / rows.length).toFixed(1));
