import { parseAmount, unitFromHeader } from './amounts.ts';
import { addDecimalStrings, compareDecimalStrings, subtractDecimalStrings } from './decimal.ts';
import { findDates } from './dates.ts';
import { findDocNumbers } from './doc-numbers.ts';
import { LABEL_ALTERNATION } from './labels.ts';
import { looksLikeOrg } from './orgs.ts';
import { amountFieldValue, cleanOrgValue, emit, orgValue, stripDate, type ExtractionState, type PreparedPage } from './context.ts';

/**
 * Fields read from a document's layout rather than from labels: the title block (letterhead, 文号, title, the
 * project-name heading, the addressee), the closing block of a letter (落款 unit and date), and multi-project tables.
 */

const DRAFT_MARKER = String.raw`\((?:送审稿|评审稿|报批稿|修订稿|终稿|征求意见稿|讨论稿|初稿|定稿|报审稿|审定稿)\)`;
const DOC_KIND_WORDS =
  '批复|请示|通知|报告|方案|合同|协议|协议书|意见|意见书|函|复函|纪要|证书|建议书|申请书|申报表|登记表|审批表|备案表|一览表|表|清单|说明|规范|决定|记录|总结|申请|公告|目录|计划|计划书|通知书|报告书|任务书|说明书|手册|证明|回执|承诺书|汇报|批文';
export const DOC_KIND_END = new RegExp(`(?:${DOC_KIND_WORDS})(?:${DRAFT_MARKER})?$`);
const VERSION_MARKER = new RegExp(DRAFT_MARKER);
const HEAD_NOISE = /^(?:签发人|索引号|索引|统一登记号|登记号|密级|紧急程度|缓急|发布日期|生效日期|信息时效期|主题分类|成文日期|发文机关|--- )/;
const LABEL_LINE = /^[^:：]{1,14}[:：]/;
const STARTS_WITH_LABEL = new RegExp(`^(?:${LABEL_ALTERNATION})`);
const PROJECTISH_END = /(?:项目|工程|系统|平台)$/;
// OCR misreads a character or two of "的批复"/"的请示"; a 关于… title still ends in 的 plus one or two characters.
const OCR_LETTER_END = /^关于.{4,}的.{1,2}$/;
const LETTERHEAD = /^(.{2,40}?)(?:文件|公函|函件)$/;

export interface HeadInfo {
  title: string;
  titleLineIndex: number;
}

/** Reads the title block of the first page. */
export function readHead(state: ExtractionState): HeadInfo {
  const page = state.pages.find((p) => p.lines.some((line) => line.trim()));
  if (!page) return { title: '', titleLineIndex: -1 };
  const lines = page.lines.map((line) => line.trim());
  const top: number[] = [];
  for (let i = 0; i < lines.length && top.length < 14; i += 1) if (lines[i]) top.push(i);

  let title = '';
  let titleLineIndex = -1;
  let headingProject: { text: string; index: number } | null = null;
  for (const [position, index] of top.entries()) {
    const line = lines[index]!;
    if (HEAD_NOISE.test(line)) continue;
    const letterhead = LETTERHEAD.exec(line);
    if (letterhead && position < 3 && !line.includes(':')) {
      const org = cleanOrgValue(letterhead[1]!);
      if (org?.looksLikeOrg) {
        emit(state, { field: 'issuer', value: orgValue(org.name, state.aliases), page, label: '版头', quote: line, confidence: 0.8, via: 'letterhead' });
      }
      continue;
    }
    const docNumbers = findDocNumbers(line);
    if (docNumbers.length === 1 && line.length <= docNumbers[0]!.raw.length + 12 && position < 6) {
      const number = docNumbers[0]!;
      emit(state, { field: 'docNumber', value: { kind: 'docNumber', normalized: number.normalized, raw: number.raw }, page, label: '文号', quote: line, confidence: 0.9, via: 'heading' });
      continue;
    }
    if (title) break;
    if (LABEL_LINE.test(line)) {
      if (headingProject || position > 4) break;
      continue;
    }
    if (line.startsWith('关于')) {
      const joins: Array<{ text: string; last: number }> = [{ text: line, last: index }];
      for (let k = 1; k <= 3 && lines[index + k]; k += 1) joins.push({ text: joins.at(-1)!.text + lines[index + k]!, last: index + k });
      const exact = joins.find((j) => DOC_KIND_END.test(j.text));
      const loose = [...joins].reverse().find((j) => OCR_LETTER_END.test(j.text));
      const chosen = exact ?? loose;
      if (chosen) {
        title = chosen.text;
        titleLineIndex = chosen.last;
        continue;
      }
    }
    if (DOC_KIND_END.test(line) && line.length <= 60) {
      title = line;
      titleLineIndex = index;
      continue;
    }
    if (!headingProject && !STARTS_WITH_LABEL.test(line) && PROJECTISH_END.test(line) && line.length >= 6 && line.length <= 60 && !/[，。；]/.test(line)) {
      headingProject = { text: line, index };
    }
  }

  if (headingProject) {
    emit(state, { field: 'projectName', value: { kind: 'text', text: headingProject.text }, page, label: '标题', quote: headingProject.text, confidence: 0.75, via: 'heading' });
  }
  if (title) {
    emit(state, { field: 'title', value: { kind: 'text', text: title }, page, label: '标题', quote: title, confidence: 0.8, via: 'title' });
    const marker = VERSION_MARKER.exec(title);
    if (marker) {
      emit(state, { field: 'versionMarker', value: { kind: 'text', text: marker[0].slice(1, -1) }, page, label: '标题', quote: title, confidence: 0.9, via: 'title' });
    }
    const fromTitle = projectNameFromTitle(title);
    if (fromTitle) {
      emit(state, { field: 'projectName', value: { kind: 'text', text: fromTitle.name }, page, label: '标题', quote: title, confidence: fromTitle.confidence, via: 'title' });
    }
    readAddressee(state, page, lines, titleLineIndex, title);
  }
  return { title, titleLineIndex };
}

const LEADING_VERBS = /^(?:申请|下达|批准|同意|审批|报送|呈报|上报|请求|要求|印发|转发|开展|组织|对|将)+/;
const TRAILING_PROCESS = /(?:立项|可行性研究报告|可研报告|可研|初步设计方案|初步设计|投资概算|概算|实施方案|建设方案|项目建议书|技术方案|竣工验收|初步验收|验收|评审意见|评审|申报|调整|变更|招标|采购|结算|审批|备案|有关事项|相关事项|事项|及|和)$/;
const PROJECTISH_NAME = /(?:项目|工程|系统|平台|建设|改造|升级|中心|网络|云|库|应用|机房|工程包)$/;
const GENERIC_NAME = /^(?:\d{4}年度?|.*年度.*计划|各|有关|电子政务项目$|信息化项目$)/;

/**
 * The project named in a title: "关于常德市XX系统二期建设项目立项的批复" → 常德市XX系统二期建设项目;
 * "益阳市XX平台二期建设项目初步设计方案" → 益阳市XX平台二期建设项目. Titles about many projects (annual plans) give none.
 */
export function projectNameFromTitle(rawTitle: string): { name: string; confidence: number } | null {
  const title = rawTitle.replace(new RegExp(DRAFT_MARKER, 'g'), '').replace(/[《》“”"]/g, '');
  if (title.startsWith('关于')) {
    const body = /^关于(.+)的(?:批复|请示|通知|报告|函|复函|意见|申请|决定|审查意见|评审意见|批文|.{1,2})$/.exec(title)?.[1];
    if (!body) return null;
    let name = body.replace(LEADING_VERBS, '');
    const lastProject = Math.max(name.lastIndexOf('项目'), name.lastIndexOf('工程'));
    if (lastProject >= 4) name = name.slice(0, lastProject + 2);
    else for (let guard = 0; guard < 4 && TRAILING_PROCESS.test(name); guard += 1) name = name.replace(TRAILING_PROCESS, '');
    // "关于同意张三同志辞职的批复" names no project.
    if (name.length < 5 || GENERIC_NAME.test(name) || !PROJECTISH_NAME.test(name)) return null;
    return { name, confidence: 0.8 };
  }
  const match = /^(.{4,60}?(?:项目|工程))(.{2,16})$/.exec(title);
  if (match && DOC_KIND_END.test(match[2]!) && !GENERIC_NAME.test(match[1]!)) return { name: match[1]!, confidence: 0.65 };
  return null;
}

function readAddressee(state: ExtractionState, page: PreparedPage, lines: string[], titleLineIndex: number, title: string): void {
  for (let i = titleLineIndex + 1; i < Math.min(lines.length, titleLineIndex + 4); i += 1) {
    const line = lines[i]!;
    if (!line) continue;
    const match = /^([^:：，。]{2,60})[:：]$/.exec(line);
    // A 中标通知书 may put its 采购项目编号 between the title and the winner it is addressed to.
    if (!match && /^[^:：，。]{0,8}编号\s*[:：]/.test(line)) continue;
    if (!match) return;
    // A notice of award is addressed to the winner.
    const awardNotice = /(?:中标|成交)(?:结果)?通知书?$/.test(title);
    const aboutSupervision = /监理/.test(title);
    for (const part of match[1]!.split(/[、,，]/)) {
      const org = cleanOrgValue(part);
      if (!org?.looksLikeOrg) continue;
      emit(state, { field: 'addressee', value: orgValue(org.name, state.aliases), page, label: '主送', quote: line, confidence: 0.8, via: 'addressee' });
      if (awardNotice) {
        for (const field of aboutSupervision ? (['awardee', 'supervisor'] as const) : (['awardee', 'contractor'] as const)) {
          emit(state, { field, value: orgValue(org.name, state.aliases), page, label: '中标通知书主送', quote: line, confidence: 0.8, via: 'addressee' });
        }
      }
    }
    return;
  }
}

const CLOSING_NOISE = /^(?:抄送|抄报|附件|印发|共印|\(此页无正文\)|联系人|联系电话|电话|地址|邮编|\(?盖章\)?|\(?公章\)?|第\d+页|[-—–]?\s*\d+\s*[-—–]?$)/;

/**
 * The closing block: a date standing alone near the end (落款日期) and the unit above it (落款单位). An annex table
 * may follow the closing block, so the search goes some way up the last page.
 */
export function readClosing(state: ExtractionState): void {
  const page = [...state.pages].reverse().find((p) => p.lines.some((line) => line.trim()));
  if (!page) return;
  const tail = page.lines
    .map((line, index) => ({ line: line.trim(), index }))
    .filter((l) => l.line)
    .slice(-30);
  for (let k = tail.length - 1; k >= 0; k -= 1) {
    const { line } = tail[k]!;
    if (CLOSING_NOISE.test(line) || line.length > 24) continue;
    const dates = findDates(line);
    const only = dates.length === 1 && dates[0]!.kind === 'date' ? dates[0]! : null;
    if (!only || only.kind !== 'date') continue;
    const rest = line.replace(only.raw, '').replace(/[\s()（）:：,，。.]|盖章|日期|落款/g, '');
    if (rest.length > 0) continue;
    emit(state, { field: 'docDate', value: { kind: 'date', ...stripDate(only) }, page, label: '落款', quote: line, confidence: 0.85, via: 'signature' });
    for (let j = k - 1; j >= Math.max(0, k - 3); j -= 1) {
      const above = tail[j]!.line;
      if (CLOSING_NOISE.test(above)) continue;
      const org = cleanOrgValue(above);
      if (org?.looksLikeOrg && !LABEL_LINE.test(above)) {
        emit(state, { field: 'signatory', value: orgValue(org.name, state.aliases), page, label: '落款', quote: above, confidence: 0.75, via: 'signature' });
      }
      break;
    }
    return;
  }
  // No closing date: a letter or report may still end with the issuing unit alone.
  const last = [...tail].reverse().find((l) => !CLOSING_NOISE.test(l.line));
  if (!last) return;
  const org = cleanOrgValue(last.line);
  if (org?.looksLikeOrg && !LABEL_LINE.test(last.line) && last.line.length <= 40) {
    emit(state, { field: 'signatory', value: orgValue(org.name, state.aliases), page, label: '落款', quote: last.line, confidence: 0.55, via: 'signature' });
  }
}

// --- multi-project tables (annual plan notices) ---

type ColumnKind = 'serial' | 'project' | 'unit' | 'amount' | 'other';

const COLUMN_PATTERNS: Array<[ColumnKind, RegExp]> = [
  ['serial', /序号|编号/],
  ['project', /项目名称|工程名称/],
  ['unit', /建设单位|项目单位|申报单位|实施单位|责任单位|主管部门|使用单位/],
  ['amount', /(?:计划|批复|核定|下达|安排|项目|总|概算|估算|预算|合同)?(?:投资|金额|资金|预算|概算)(?:额|总额)?(?:\((?:单位[:：])?(?:万元|元|亿元)\))?/],
];

interface Column {
  kind: ColumnKind;
  header: string;
  position: number;
}

function headerColumns(line: string): Column[] | null {
  if (line.includes(' | ')) {
    const cells = splitCells(line);
    const columns = cells.map((cell, position) => ({ kind: (COLUMN_PATTERNS.find(([, re]) => re.test(cell))?.[0] ?? 'other') as ColumnKind, header: cell, position }));
    return columns.some((c) => c.kind === 'project') && columns.filter((c) => c.kind !== 'other').length >= 2 ? columns : null;
  }
  const found: Column[] = [];
  for (const [kind, pattern] of COLUMN_PATTERNS) {
    const match = new RegExp(pattern.source).exec(line);
    if (match) found.push({ kind, header: match[0].trim(), position: match.index });
  }
  if (!found.some((c) => c.kind === 'project') || found.length < 3) return null;
  // A merged header must consist of column names only, not be a sentence that mentions them.
  const covered = found.reduce((sum, c) => sum + c.header.length, 0);
  if (line.replace(/\s+/g, '').length - covered > 12 || /[，。；]/.test(line)) return null;
  return found.sort((a, b) => a.position - b.position);
}

function splitProjectAndUnit(middle: string): { project: string; unit: string | null } {
  const candidates: Array<{ project: string; unit: string; strong: boolean }> = [];
  for (let i = 4; i < middle.length - 2; i += 1) {
    const left = middle.slice(0, i);
    const right = middle.slice(i);
    if (!PROJECTISH_END.test(left) && !left.endsWith('建设')) continue;
    if (!looksLikeOrg(right)) continue;
    candidates.push({ project: left, unit: right, strong: /(?:项目|工程)$/.test(left) });
  }
  const strong = candidates.filter((c) => c.strong);
  const pick = (strong.length ? strong : candidates).at(-1);
  return pick ? { project: pick.project, unit: pick.unit } : { project: middle, unit: null };
}

/** Rows of multi-project tables, each a planEntry (project, unit, amount in the header's unit). */
export function readProjectTables(state: ExtractionState): void {
  for (const page of state.pages) {
    const lines = page.lines.map((l) => l.trim());
    for (let i = 0; i < lines.length; i += 1) {
      const columns = headerColumns(lines[i]!);
      if (!columns) continue;
      const amountColumn = columns.find((c) => c.kind === 'amount') ?? null;
      const columnUnit = amountColumn ? unitFromHeader(amountColumn.header) : null;
      for (let j = i + 1; j < lines.length; j += 1) {
        const row = lines[j]!;
        if (!row) continue;
        const cells = readRow(row, columns);
        if (!cells) break;
        const amountText = cells.amount?.replace(/,/g, '') ?? null;
        const amount = amountText ? parseAmount(amountText, { column: columnUnit, document: state.documentUnit }) : null;
        emit(state, {
          field: 'planEntry',
          value: {
            kind: 'planEntry',
            projectName: cells.project,
            constructionUnit: cells.unit,
            amount: amount ? amountFieldValue(amount) : null,
            amountColumn: amountColumn?.header ?? null,
          },
          page,
          label: amountColumn?.header ?? '项目名称',
          quote: row,
          confidence: row.includes(' | ') ? 0.8 : 0.7,
          via: 'table',
        });
      }
    }
  }
}

function readRow(row: string, columns: Column[]): { project: string; unit: string | null; amount: string | null } | null {
  if (row.includes(' | ')) {
    const cells = splitCells(row);
    const cellOf = (kind: ColumnKind) => {
      const column = columns.find((c) => c.kind === kind);
      return column ? cells[column.position] ?? null : null;
    };
    const project = cellOf('project');
    if (!project || !/[\u4e00-\u9fa5]{4,}/.test(project)) return null;
    return { project, unit: cellOf('unit'), amount: cellOf('amount') };
  }
  // Text layer or OCR: the cells of a row run together once spaces between Chinese characters are removed.
  let rest = row;
  let amount: string | null = null;
  if (columns[0]?.kind === 'serial') {
    const serial = /^\d{1,3}(?=\s*\D)\s*/.exec(rest);
    if (!serial) return null;
    rest = rest.slice(serial[0].length);
  }
  if (columns.at(-1)?.kind === 'amount') {
    const tail = /\s*(\d[\d,]*(?:\.\d+)?)$/.exec(rest);
    if (!tail) return null;
    amount = tail[1]!;
    rest = rest.slice(0, tail.index);
  }
  rest = rest.trim();
  if (!/^[\u4e00-\u9fa5]/.test(rest) || /[，。；:：]/.test(rest)) return null;
  const hasUnitColumn = columns.some((c) => c.kind === 'unit');
  const parts = rest.split(/\s+/);
  if (hasUnitColumn && parts.length === 2) return { project: parts[0]!, unit: parts[1]!, amount };
  const joined = parts.join('');
  if (!hasUnitColumn) return { project: joined, unit: null, amount };
  const split = splitProjectAndUnit(joined);
  return { ...split, amount };
}

// --- itemised cost tables (GEN-04: the line items add up to the stated total) ---

const ITEM_NAME_HEADER = /费用名称|项目名称|名称|内容|明细|科目|类别|费用项目|分项/;
const ITEM_AMOUNT_HEADER = /(?:金额|投资|费用|预算|概算|估算|合价|价格|小计)(?:\((?:单位[:：])?(?:万元|元|亿元)\))?/;
const TOTAL_ROW = /^(?:合计|总计|合\s*计|总\s*计)$/;
const TOLERANCE_WAN = '0.01';

interface ItemRow {
  name: string;
  amount: string;
}

function itemRow(line: string, amountIndex: number | null): ItemRow | null {
  if (line.includes(' | ')) {
    // A row whose first cell is empty starts with "| " once trimmed.
    const cells = splitCells(line);
    const amount = amountIndex !== null ? cells[amountIndex] : undefined;
    const name = cells.find((c, i) => i !== amountIndex && /[\u4e00-\u9fa5]/.test(c) && !/%$/.test(c));
    if (!amount || !name || !/^\d[\d,]*(?:\.\d+)?$/.test(amount)) return null;
    return { name, amount };
  }
  // Text layer or OCR: "1软件开发费120.95 46.5%" once the spaces between Chinese and digits are gone.
  const merged = /^(?:\d{1,3}\s*)?([\u4e00-\u9fa5][^|%]*?)\s*(\d[\d,]*(?:\.\d+)?)(?:\s+\d+(?:\.\d+)?%)?$/.exec(line);
  return merged ? { name: merged[1]!.trim(), amount: merged[2]! } : null;
}

/** Cost tables with a 合计 row: the items, the stated total and whether they agree. */
export function readItemizations(state: ExtractionState): void {
  for (const page of state.pages) {
    const lines = page.lines.map((l) => l.trim());
    for (let i = 0; i < lines.length; i += 1) {
      const header = lines[i]!;
      if (!ITEM_NAME_HEADER.test(header) || !ITEM_AMOUNT_HEADER.test(header) || /[，。；]/.test(header) || header.length > 60) continue;
      const cells = header.includes(' | ') ? splitCells(header) : null;
      const amountIndex = cells ? cells.findIndex((c) => ITEM_AMOUNT_HEADER.test(c) && !ITEM_NAME_HEADER.test(c.replace(ITEM_AMOUNT_HEADER, ''))) : null;
      if (cells && (amountIndex === null || amountIndex < 0)) continue;
      // In a merged header "序号费用名称金额(万元)占比" the amount column is the one that carries a unit, if any.
      const mergedMatches = [...header.matchAll(new RegExp(ITEM_AMOUNT_HEADER.source, 'g'))].map((m) => m[0]);
      const amountHeader = cells ? cells[amountIndex!]! : (mergedMatches.find((m) => unitFromHeader(m)) ?? mergedMatches.at(-1)!);
      const unit = unitFromHeader(amountHeader) ?? state.documentUnit;
      const items: ItemRow[] = [];
      let total: ItemRow | null = null;
      let subtotals = false;
      for (let j = i + 1; j < lines.length && j <= i + 60; j += 1) {
        const row = lines[j]!;
        if (!row) continue;
        const parsed = itemRow(row, amountIndex);
        if (!parsed) break;
        if (TOTAL_ROW.test(parsed.name.replace(/\s+/g, ''))) {
          total = parsed;
          break;
        }
        if (/小计/.test(parsed.name)) subtotals = true;
        items.push(parsed);
      }
      // Tables with subtotals nest their items; summing them all would double count.
      if (!total || items.length < 2 || subtotals) continue;
      const stated = parseAmount(total.amount.replace(/,/g, ''), { column: unit });
      if (!stated) continue;
      const wans = items.map((item) => parseAmount(item.amount.replace(/,/g, ''), { column: unit })?.wan ?? null);
      const sum = wans.every((w) => w !== null) ? wans.reduce((acc, w) => addDecimalStrings(acc!, w!), '0') : null;
      const difference = sum !== null && stated.wan !== null ? subtractDecimalStrings(sum, stated.wan).replace('-', '') : null;
      emit(state, {
        field: 'itemizedTotal',
        value: {
          kind: 'itemization',
          items: items.map((item, k) => ({ name: item.name, wan: wans[k] ?? null })),
          statedTotal: amountFieldValue(stated),
          sum,
          equal: difference === null ? null : compareDecimalStrings(difference, TOLERANCE_WAN) <= 0,
        },
        page,
        label: amountHeader,
        quote: `${header} … ${total.name} ${total.amount}`,
        confidence: 0.8,
        via: 'table',
      });
    }
  }
}

/**
 * The cells of a table row as the readers write it (cells joined by " | "). Normalisation folds the spaces of an empty
 * cell, so "名称 |  | 金额" arrives as "名称 | | 金额": splitting on the bar with optional spaces keeps every column in
 * its place, a leading empty cell included.
 */
export function splitCells(row: string): string[] {
  return row.split(/ ?\| ?/).map((c) => c.trim());
}
