import { classifyPresented, readTitleTable, PRESENTATIONS } from './measure.ts';
const rows = [...readTitleTable('dev'), ...readTitleTable('holdout')];
const k = process.argv[2] as keyof typeof PRESENTATIONS;
for (const r of rows) { const o = classifyPresented(r, PRESENTATIONS[k]); if (!o.exact) console.log(r.expected, o.got, r.title); }
