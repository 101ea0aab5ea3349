import { classifyTitle, readTitleFile, readTitleTable, classifyPresented, PRESENTATIONS } from './measure.ts';
const arg = process.argv[2] ?? 'dev';
const pres = process.argv[3] as keyof typeof PRESENTATIONS | undefined;
const rows = arg === 'dev' ? readTitleTable('dev') : readTitleFile(arg);
for (const r of rows) {
  const o = pres ? classifyPresented(r, PRESENTATIONS[pres]) : classifyTitle(r);
  if (!o.exact) console.log(`${r.expected}\t${o.got}\t${r.title}`);
}
