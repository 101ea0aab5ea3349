import { classifyPresented, readTitleTable } from './measure.ts';
const rows = [...readTitleTable('dev'), ...readTitleTable('holdout')];
const P: Record<string, (t: string) => string> = {
  plain: (t) => t,
  remarkAnnex: (t) => `${t}（含附件）`,
  pdfShown: (t) => `${t}.pdf`,
  dateBracket: (t) => `${t}（2024年5月）`,
  draftLine: (t) => `${t}\n（送审稿）`,
  secondEd: (t) => `${t}（第二版）`,
  bookMarks: (t) => `《${t}》`,
  scanSuffix: (t) => `${t}_扫描件`,
  copySuffix: (t) => `${t} 副本`,
  spaced: (t) => t.length <= 14 ? [...t].join(' ') : t,
  trad: (t) => t.replace(/报/g, '報').replace(/验/g, '驗').replace(/书/g, '書').replace(/设计/g, '設計').replace(/项目/g, '項目').replace(/计划/g, '計劃').replace(/协议/g, '協議').replace(/审/g, '審'),
  projectLine: (t) => `项目名称：某某市智慧城市运营管理平台\n${t}`,
  coverUnits: (t) => `${t}\n建设单位：某某市数据局\n承建单位：某某科技有限公司\n监理单位：某某监理公司\n二〇二四年五月`,
  codeAbove: (t) => `文档编号：ZH-2024-017\n密级：内部\n${t}`,
  englishBelow: (t) => `${t}\nProject Document\n版本：V1.0`,
  projectNoBelow: (t) => `${t}\n（项目编号：SZ2024-0132）`,
  nameSplit: (t) => { const m = /^(.{6,}?(?:系统|平台|工程))(.{4,})$/.exec(t); return m ? `${m[1]}\n${m[2]}` : t; },
  pageNoAbove: (t) => `- 1 -\n${t}`,
  pageOfAbove: (t) => `第 1 页 共 20 页\n${t}`,
  strayAbove: (t) => `|\n${t}`,
  coverWord: (t) => `封面\n${t}`,
  fullWidth: (t) => t.replace(/[0-9A-Za-z()]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)),
  stampBelow: (t) => `${t}\n（盖章）\n某某科技有限公司`,
  trailingPage: (t) => `${t} 1`,
  ocrSpaces: (t) => t.replace(/(.{3})/g, '$1 ').trim(),
  tocAbove: (t) => `目录\n${t}`,
  tocEntry: (t) => `${t}………………1`,
  tocDots: (t) => `${t}.........................1`,
  tocFirst: (t) => `目 录\n1 ${t} ........ 1\n2 附件 ........ 9`,
  cellTitle: (t) => `${t} | 填报日期：2024年5月 | 编号：001`,
  englishSame: (t) => `${t} Feasibility Study Report`,
  attachAlone: (t) => `附件\n${t}`,
  publicity: (t) => `${t}（公示稿）`,
  twoCol: (t) => `${t}        2024年5月`,
  fileNameLabel: (t) => `文件名称：${t}`,
  subtitleDash: (t) => `${t}\n——某某市智慧城市运营管理平台项目`,
  projectBelow: (t) => `${t}\n项目名称：某某市智慧城市运营管理平台\n建设单位：某某市数据局`,
  tocBelow: (t) => `${t}\n目 录\n1 概述 ........ 1\n2 建设内容 ........ 3`,
};
const want = process.argv.slice(2);
const show = want.includes('--show');
for (const [k, f] of Object.entries(P)) {
  if (want.length && !want.includes(k)) continue;
  const out = rows.map((r) => classifyPresented(r, f));
  const ex = out.filter((o) => o.exact).length;
  console.log(k, ex, rows.length, (100 * ex / rows.length).toFixed(1));
  if (show) for (const o of out) if (!o.exact && classifyPresented(o.row, P.plain).exact) console.log('  ', o.row.expected, o.got, f(o.row.title).replaceAll('\n', ' / '));
}
