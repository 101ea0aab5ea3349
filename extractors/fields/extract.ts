import type { PageSource } from '../model.ts';
import { normalizeText } from '../normalize.ts';
import { detectUnitNote } from './amounts.ts';
import { findDates } from './dates.ts';
import { findDocNumbers, parseDocNumber } from './doc-numbers.ts';
import { LABEL_ALTERNATION, LABEL_ENTRIES, labelEntry, SEAL_QUALIFIER, type LabelSpec } from './labels.ts';
import { DOC_KIND_END, projectNameFromTitle, readClosing, readHead, readItemizations, readProjectTables, splitCells } from './layout.ts';
import { findAliases, findCreditCodes, isValidCreditCode, looksLikeOrg, normOrg } from './orgs.ts';
import { parseVerdict, readProse, sentencesOf } from './prose.ts';
import { readTerms } from './terms.ts';
import {
  cleanOrgValue,
  dateFieldValue,
  emit,
  orgValue,
  stripDate,
  type ExtractionState,
  type PreparedPage,
} from './context.ts';
import type { CandidateVia, FieldCandidate, FieldName, FieldValue } from './schema.ts';

export type { FieldCandidate } from './schema.ts';

/**
 * Structured fields of one document (requirements §5), whatever its type: label-driven values ("建设单位：…",
 * "甲方（采购人）：…", table cells), the title block and closing block of letters, running-text statements, and rows of
 * multi-project tables. Every candidate carries file, page, label, quote, confidence and text-layer/OCR source; choosing
 * between candidates across documents is checklists/facts' job.
 */

export interface FieldSourceDocument {
  path: string;
  pages: ReadonlyArray<{ n: number; text: string; source: PageSource }>;
}

// A label starts a word: not after a letter or Han character, except right after an organisation's name, where OCR
// has swallowed the gap between two columns ("…执法局乙方(盖章):…").
const HAN_OR_LATIN_BEFORE = '(?:(?<![\\u4e00-\\u9fa5A-Za-z])|(?<=(?:公司|局|院|中心|办|委|所|馆|室|厅|站|处|集团)))';
const QUALIFIER = '(?:\\s*[(（]([^()（）:：]{1,16})[)）])?';
/** "建设单位：X", "甲方(采购人):X", "中标人名称：X". */
const STRONG_LABEL = new RegExp(`${HAN_OR_LATIN_BEFORE}(${LABEL_ALTERNATION})${QUALIFIER}\\s*(?:名称|全称)?\\s*[:：]`, 'g');
/** A table cell holding only a label: "建设单位", "项目投资(万元)", "监理单位：". */
const CELL_LABEL = new RegExp(`^(${LABEL_ALTERNATION})${QUALIFIER}\\s*(?:名称|全称)?\\s*[:：]?$`);
/** OCR'd key/value rows lose the colon: "项目名称常德市…项目". Only at the start of a line, and validated strictly. */
const BARE_LABEL = new RegExp(`^(${LABEL_ALTERNATION})${QUALIFIER}\\s*(?:名称|全称)?(?![:：])\\s*(\\S.*)$`);

function preparePages(doc: FieldSourceDocument): PreparedPage[] {
  return doc.pages.map((page) => {
    const text = normalizeText(page.text);
    return { n: page.n, source: page.source, text, lines: text.split('\n') };
  });
}

export function extractFields(doc: FieldSourceDocument): FieldCandidate[] {
  const pages = preparePages(doc);
  const fullText = pages.map((p) => p.text).join('\n');
  const state: ExtractionState = {
    path: doc.path,
    pages,
    aliases: findAliases(fullText),
    documentUnit: detectUnitNote(fullText),
    title: '',
    aboutSupervision: false,
    candidates: [],
  };
  const head = readHead(state);
  state.title = head.title;
  state.aboutSupervision = /监理/.test(head.title);
  readLabels(state);
  readProse(state);
  readTerms(state);
  readClosing(state);
  readProjectTables(state);
  readItemizations(state);
  readDocNumbers(state);
  deriveFromTitle(state);
  return dedupe(state.candidates);
}

// --- labelled values ---

interface LabelHit {
  label: string;
  qualifier: string | undefined;
  value: string;
  via: CandidateVia;
  /** Bare (colon-less) hits are accepted only when the value validates strictly. */
  strict: boolean;
  confidenceFactor: number;
}

function hitsInSegment(segment: string): LabelHit[] {
  const hits: LabelHit[] = [];
  const matches = [...segment.matchAll(STRONG_LABEL)];
  matches.forEach((match, k) => {
    const end = match.index! + match[0].length;
    const stop = matches[k + 1]?.index ?? segment.length;
    hits.push({ label: match[1]!, qualifier: match[2], value: segment.slice(end, stop).trim(), via: 'label', strict: false, confidenceFactor: 1 });
  });
  if (hits.length === 0) {
    const bare = BARE_LABEL.exec(segment);
    // "承建单位为X" is a sentence, not a key/value row; prose.ts reads it.
    if (bare && !/^[为是系的在对由将已共均等和与及按于]/.test(bare[3]!)) hits.push({ label: bare[1]!, qualifier: bare[2], value: bare[3]!.trim(), via: 'label', strict: true, confidenceFactor: 0.7 });
  }
  return hits;
}

function readLabels(state: ExtractionState): void {
  for (const page of state.pages) {
    const orgLines: Array<{ index: number; name: string }> = [];
    page.lines.forEach((rawLine, index) => {
      const line = rawLine.trim();
      if (!line) return;
      const hits: LabelHit[] = [];
      if (line.includes(' | ')) {
        const cells = splitCells(line);
        cells.forEach((cell, c) => {
          const cellLabel = CELL_LABEL.exec(cell);
          // A merged value cell leaves empty cells behind it in a spreadsheet: the value is the next non-empty one.
          const next = cells.slice(c + 1).find((other) => other !== '');
          if (cellLabel && next && !CELL_LABEL.test(next)) {
            hits.push({ label: cellLabel[1]!, qualifier: cellLabel[2], value: next, via: 'table', strict: false, confidenceFactor: 0.95 });
          } else if (!cellLabel) {
            hits.push(...hitsInSegment(cell));
          }
        });
      } else {
        hits.push(...hitsInSegment(line));
      }
      for (const hit of hits) {
        const name = handleHit(state, page, index, line, hit);
        if (name) orgLines.push({ index, name });
      }
    });
    readIdentifiers(state, page, orgLines);
  }
}

function nextLine(page: PreparedPage, index: number): string | null {
  for (let i = index + 1; i < Math.min(page.lines.length, index + 3); i += 1) {
    const line = page.lines[i]!.trim();
    if (line) return line;
  }
  return null;
}

/** Fields a label feeds, adjusted for the document (supervision) and for a qualifier naming another role. */
function fieldsFor(state: ExtractionState, spec: LabelSpec, qualifier: string | undefined, orgName: string | null): FieldName[] {
  const fields = new Set<FieldName>(spec.fields);
  const qualifierEntry = qualifier && !SEAL_QUALIFIER.test(qualifier) ? labelEntry(qualifier.trim()) : undefined;
  if (qualifierEntry && qualifierEntry.spec.kind === spec.kind) for (const f of qualifierEntry.spec.fields) fields.add(f);
  const partyRole = spec.partyRole || qualifierEntry?.spec.partyRole;
  if (partyRole && (state.aboutSupervision || (orgName && /监理/.test(orgName)))) {
    fields.delete('contractor');
    fields.add('supervisor');
  }
  if (spec.party === 'B' && !fields.has('supervisor') && !fields.has('contractor') && orgName && /监理/.test(orgName)) fields.add('supervisor');
  return [...fields];
}

const count = (text: string, re: RegExp) => (text.match(re) ?? []).length;
const PROJECT_VALUE_END = /(?:项目|工程|系统|平台|建设|一期|二期|三期|四期|五期|改造|升级|中心|工程包)$/;

/** Returns the organisation name when the hit named one (for attaching 统一社会信用代码 lines). */
function handleHit(state: ExtractionState, page: PreparedPage, index: number, line: string, hit: LabelHit): string | null {
  const entry = labelEntry(hit.label);
  if (!entry) return null;
  const { spec } = entry;
  const label = hit.qualifier ? `${hit.label}(${hit.qualifier})` : hit.label;
  const confidence = spec.confidence * hit.confidenceFactor;
  const base = { page, label, quote: line, via: hit.via, ...(spec.party ? { party: spec.party } : {}) };
  const emitAll = (fields: FieldName[], value: FieldValue, conf = confidence) => {
    for (const field of fields) emit(state, { ...base, field, value, confidence: conf });
  };

  switch (spec.kind) {
    case 'org': {
      let raw = hit.value;
      let quote = line;
      if (!raw && !hit.strict) {
        const next = nextLine(page, index);
        if (next && !STRONG_LABEL.test(next) && looksLikeOrg(next)) {
          raw = next;
          quote = `${line} ${next}`;
        }
        STRONG_LABEL.lastIndex = 0;
      }
      let org = cleanOrgValue(raw);
      if (org && !org.looksLikeOrg && !hit.strict) {
        // A name wrapped by the line break ("…常德市水利" / "局，项目总投资…"): join the start of the next line.
        const next = nextLine(page, index)?.split(/[，。,;；:：\s]/)[0];
        const joined = next && next.length <= 12 ? cleanOrgValue(raw + next) : null;
        if (joined?.looksLikeOrg) {
          org = joined;
          quote = `${line}${next}`;
        }
      }
      if (!org) return null;
      // A value that does not end like an organisation is kept (weakly) only if it is short and free of sentence words.
      if (!org.looksLikeOrg && (hit.strict || org.name.length > 24 || !/^[\u4e00-\u9fa5A-Za-z0-9()·]+$/.test(org.name) || /签订|协议|负责|填写|提供/.test(org.name))) return null;
      const conf = org.looksLikeOrg ? confidence : confidence * 0.6;
      for (const field of fieldsFor(state, spec, hit.qualifier, org.name)) {
        emit(state, { ...base, quote, field, value: orgValue(org.name, state.aliases), confidence: conf });
      }
      return org.name;
    }
    case 'projectName': {
      let name = hit.value.replace(/[《》“”"]/g, '').split(/[;；。]/)[0]!.trim();
      if (!name) return null;
      let quote = line;

      // A name whose bracket is still open continues on the next lines ("…项目（阎家庄35/6KV\n变电站…）采购").
      for (let k = 1; k <= 2 && !hit.strict && count(name, /[(（]/g) > count(name, /[)）]/g); k += 1) {
        const next = page.lines[index + k]?.trim();
        if (!next || /[:：]/.test(next)) break;
        name += next.split(/[;；。]/)[0]!;
        quote += next;
      }
      if (!PROJECT_VALUE_END.test(name) && !hit.strict) {
        const next = nextLine(page, index);
        if (next && next.length <= 10 && !/[:：]/.test(next) && PROJECT_VALUE_END.test(name + next)) {
          name += next;
          quote = `${line}${next}`;
        }
      }
      if (DOC_KIND_END.test(name)) name = projectNameFromTitle(name)?.name ?? name;
      if (name.length < 4 || name.length > 80 || !/[\u4e00-\u9fa5]{2}/.test(name) || /[:：]/.test(name)) return null;
      if (hit.strict && !PROJECT_VALUE_END.test(name)) return null;
      for (const field of spec.fields) emit(state, { ...base, quote, field, value: { kind: 'text', text: name }, confidence });
      return null;
    }
    case 'code': {
      const code = /^[A-Za-z0-9][A-Za-z0-9\-_/.]*[A-Za-z0-9]/.exec(hit.value)?.[0];
      if (code && /\d/.test(code)) emitAll([...spec.fields], { kind: 'text', text: code });
      return null;
    }
    case 'date':
    case 'period': {
      const found = findDates(hit.value);
      const first = found[0];
      if (!first || first.offset.start > 2) return null;
      if (spec.kind === 'period') {
        if (first.kind === 'range') {
          emitAll([...spec.fields], { kind: 'period', start: dateFieldValue(first.start), end: dateFieldValue(first.end) });
        } else if (first.kind === 'date') {
          emitAll([...spec.fields], { kind: 'period', start: dateFieldValue(stripDate(first)), end: null }, confidence * 0.7);
        }
      } else if (first.kind === 'date') {
        emitAll([...spec.fields], dateFieldValue(stripDate(first)));
      }
      return null;
    }
    case 'verdict': {
      const verdict = parseVerdict(hit.value.split(/[。；;]/)[0]!);
      if (verdict) emitAll([...spec.fields], { kind: 'verdict', ...verdict });
      return null;
    }
    case 'docNumber': {
      const number = parseDocNumber(hit.value);
      if (number) emitAll([...spec.fields], { kind: 'docNumber', normalized: number.normalized, raw: number.raw });
      return null;
    }
    case 'amount':
      // Amounts are read from running text, where the label may be followed by 为/约/人民币 before the figure.
      return null;
  }
}

const IDENTIFIER_LINE = /统一社会信用代码|社会信用代码|法定代表人|法人代表|注册地址|住所|地址/;

/** 统一社会信用代码 / 法定代表人 / 地址 lines, attached to the party named just above them (CD-C01). */
function readIdentifiers(state: ExtractionState, page: PreparedPage, orgLines: Array<{ index: number; name: string }>): void {
  type Block = { org: string | null; creditCode: string | null; legalRepresentative: string | null; address: string | null; quote: string[] };
  const blocks = new Map<string, Block>();
  page.lines.forEach((rawLine, index) => {
    const line = rawLine.trim();
    if (!IDENTIFIER_LINE.test(line)) return;
    const owner = [...orgLines].reverse().find((o) => o.index <= index && index - o.index <= 6);
    const key = owner ? normOrg(owner.name, state.aliases) : `#${index}`;
    const block = blocks.get(key) ?? { org: owner ? key : null, creditCode: null, legalRepresentative: null, address: null, quote: [] };
    const code = findCreditCodes(line)[0];
    if (code && !block.creditCode) block.creditCode = code.code;
    const legal = /(?:法定代表人|法人代表)(?:\([^()]*\))?\s*[:：]\s*([\u4e00-\u9fa5·]{2,10})/.exec(line);
    if (legal && !block.legalRepresentative) block.legalRepresentative = legal[1]!;
    const address = /(?:注册地址|住所|地址)\s*[:：]\s*([^\s;；]{4,60})/.exec(line);
    if (address && !block.address) block.address = address[1]!;
    if (code || legal || address) {
      block.quote.push(line);
      blocks.set(key, block);
    }
  });
  for (const block of blocks.values()) {
    // An address or a name with no organisation to attach it to says nothing about anyone.
    if (!block.creditCode && (!block.org || (!block.legalRepresentative && !block.address))) continue;
    emit(state, {
      field: 'orgIdentifier',
      value: {
        kind: 'orgIdentifier',
        org: block.org,
        creditCode: block.creditCode,
        creditCodeValid: block.creditCode ? isValidCreditCode(block.creditCode) : null,
        legalRepresentative: block.legalRepresentative,
        address: block.address,
      },
      page,
      label: '统一社会信用代码',
      quote: block.quote.join(' '),
      confidence: block.org ? 0.85 : 0.5,
      via: 'label',
    });
  }
}

// --- 文号 mentioned in the body ---

function readDocNumbers(state: ExtractionState): void {
  const own = new Set(
    state.candidates.filter((c) => c.field === 'docNumber' && c.value.kind === 'docNumber').map((c) => (c.value as { normalized: string }).normalized),
  );
  for (const page of state.pages) {
    // Sentences, not lines: a wrapped line can split a 文号 ("…及“发\n改价格〔2011〕534号”").
    for (const { text } of sentencesOf(page)) {
      for (const number of findDocNumbers(text)) {
        if (own.has(number.normalized)) continue;
        emit(state, {
          field: 'citedDocNumber',
          value: { kind: 'docNumber', normalized: number.normalized, raw: number.raw },
          page,
          label: '正文',
          quote: text,
          confidence: 0.8,
          via: 'prose',
        });
      }
    }
  }
}

// --- dates that a document's kind gives meaning to ---

function bestDocDate(state: ExtractionState): FieldCandidate | null {
  const dates = state.candidates.filter((c) => c.field === 'docDate' && c.value.kind === 'date');
  return dates.sort((a, b) => b.confidence - a.confidence)[0] ?? null;
}

function deriveFromTitle(state: ExtractionState): void {
  const title = state.title;
  if (!title) return;
  const docDate = bestDocDate(state);
  if (!docDate) return;
  const derive = (field: FieldName, confidence: number) => {
    if (state.candidates.some((c) => c.field === field && c.confidence >= confidence)) return;
    state.candidates.push({ ...docDate, field, via: 'derived', confidence: Math.min(docDate.confidence, confidence) });
  };
  if (/试运行/.test(title) && /报告|总结|记录/.test(title)) derive('trialRunReportDate', 0.8);
  if (/验收/.test(title) && /申请|请示/.test(title) && !/初步|初验|延期/.test(title)) derive('acceptanceApplicationDate', 0.8);
  if (/自查|自审|自检/.test(title)) derive('selfInspectionDate', 0.6);
  if (/初步验收|初验/.test(title) && !/申请/.test(title)) derive('preliminaryAcceptanceDate', 0.5);
  if (/验收(?:报告|意见|证书|纪要)/.test(title) && !/初步|初验|预验收|申请/.test(title)) derive('acceptanceDate', 0.55);
}

// --- one candidate per field, value and place ---

function valueKey(value: FieldValue): string {
  switch (value.kind) {
    case 'org':
      return value.normalized;
    case 'text':
      return value.text;
    case 'amount':
      return `${value.wan}|${value.form}`;
    case 'date':
      return value.iso;
    case 'period':
      return `${value.start?.iso}/${value.end?.iso}`;
    default:
      return JSON.stringify(value);
  }
}

function dedupe(candidates: FieldCandidate[]): FieldCandidate[] {
  const best = new Map<string, FieldCandidate>();
  for (const candidate of candidates) {
    const key = `${candidate.field}\u0000${valueKey(candidate.value)}\u0000${candidate.provenance.page}`;
    const existing = best.get(key);
    if (!existing || candidate.confidence > existing.confidence) best.set(key, candidate);
  }
  return [...best.values()];
}

export { LABEL_ENTRIES };
