/**
 * What a document's title looks like, as opposed to a chapter heading, a sentence or a table caption. Chinese titles
 * are head-final: a title ends with what the document is (报告, 批复, 合同, 登记表…).
 */

/** The nouns Chinese official and project documents end their titles with. */
const DOCUMENT_HEADS = [
  '报告', '报告书', '报告表', '批复', '批文', '通知', '决定', '意见', '函', '复函', '请示', '公告', '通告', '纪要', '会议纪要',
  '合同', '协议', '协议书', '合同书', '方案', '计划', '规划', '办法', '规定', '细则', '准则', '规则', '制度', '章程', '条例',
  '说明', '说明书', '证明', '证书', '证明书', '承诺书', '委托书', '授权书', '申请', '申请书', '申请表', '登记表', '审批表',
  '备案表', '评审表', '验收表', '汇总表', '清单', '明细表', '一览表', '记录', '记录表', '签到表', '确认书', '确认单', '意见书',
  '任务书', '建议书', '需求书', '设计', '设计书', '概算', '预算', '决算', '结算', '审计报告', '鉴定书', '证明材料', '凭证',
  '发票', '回执', '报表', '手册', '指南', '标准', '规范', '名单', '通报', '命令', '令', '文件', '招标文件', '投标文件',
  '中标通知书', '成交通知书', '函件', '报价单', '验收单', '交接单', '移交单', '签收单', '单', '书',
];

const HEAD_PATTERN = new RegExp(`(?:${DOCUMENT_HEADS.sort((a, b) => b.length - a.length).join('|')})$`);
/** Version and status markers after a title: (试行) (送审稿) (2025年修订). */
const TRAILING_MARKERS = /(?:[(（][^()（）]{1,14}[)）])+$/;
const SENTENCE_END = /[。；;！!？?，,：:]$/;
/** 第X章 / 第X节 / 1.2 / 一、 start a part of a document. */
export const CHAPTER_HEADING = /^(?:第\s*[一二三四五六七八九十百零〇\d]+\s*[章节篇条部]|\d+(?:\.\d+)+\s*\S|[一二三四五六七八九十]+\s*[、.．]|[(（][一二三四五六七八九十\d]+[)）]|\d+\s*[、.．](?!\d))/;
/** 文号: 信工学〔2025〕9号, 发改投资[2024]123号. */
export const DOCUMENT_NUMBER = /[\p{Script=Han}A-Za-z]{1,12}\s*[〔［[【(（]\s*\d{4}\s*[〕］\]】)）]\s*第?\s*\d{1,5}\s*号/u;
export const DATE_LINE = /^\s*(?:\d{4}|[二〇○零一三四五六七八九]{4})\s*年\s*[\d一二三四五六七八九十]{1,3}\s*月(?:\s*[\d一二三四五六七八九十]{1,3}\s*日)?\s*$/;

/** True when the line reads as the name of a document (it ends, before version markers, with a document noun). */
export function namesDocument(line: string): boolean {
  // OCR leaves a stray mark after a title now and then (报告， 报告.); a title has no punctuation before it.
  const trimmed = line.trim();
  const untailed = /^[^，,。；;：:！!？?]+[，,。.、·]$/.test(trimmed) ? trimmed.slice(0, -1) : trimmed;
  const core = untailed.replace(TRAILING_MARKERS, '').replace(/[《》“”"]/g, '');
  if (core.length < 2 || core.length > 60) return false;
  if (SENTENCE_END.test(core)) return false;
  return HEAD_PATTERN.test(core);
}
