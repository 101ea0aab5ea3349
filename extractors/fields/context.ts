import type { PageSource } from '../model.ts';
import { findAmounts, type AmountUnit, type FoundAmount } from './amounts.ts';
import type { FoundDate } from './dates.ts';
import { looksLikeOrg, normOrg, type AliasTable } from './orgs.ts';
import type {
  AmountBasis,
  AmountValue,
  CandidateVia,
  DateFieldValue,
  FieldCandidate,
  FieldName,
  FieldValue,
} from './schema.ts';
import type { DateValue } from './dates.ts';

/** One page as the field extractor sees it: normalised text cut into lines. */
export interface PreparedPage {
  n: number;
  source: PageSource;
  text: string;
  lines: string[];
}

/** State shared by the extraction passes over one document. */
export interface ExtractionState {
  path: string;
  pages: PreparedPage[];
  aliases: AliasTable;
  documentUnit: AmountUnit | null;
  /** The document's own title (after the project-name heading), '' if none was found. */
  title: string;
  /** Title mentions supervision (监理): generic party labels then name the supervisor. */
  aboutSupervision: boolean;
  candidates: FieldCandidate[];
}

export interface EmitOptions {
  field: FieldName;
  value: FieldValue;
  page: PreparedPage;
  label: string;
  quote: string;
  confidence: number;
  via: CandidateVia;
  basis?: AmountBasis;
  party?: 'A' | 'B';
}

// OCR text is right most of the time but not always; the same wording read by OCR is trusted a little less.
const OCR_FACTOR = 0.9;

export function emit(state: ExtractionState, options: EmitOptions): void {
  const confidence = Math.max(0, Math.min(1, options.confidence * (options.page.source === 'ocr' ? OCR_FACTOR : 1)));
  state.candidates.push({
    field: options.field,
    value: options.value,
    provenance: {
      path: state.path,
      page: options.page.n,
      label: options.label,
      quote: options.quote.trim().slice(0, 300),
      source: options.page.source,
    },
    confidence: Math.round(confidence * 1000) / 1000,
    via: options.via,
    ...(options.basis ? { basis: options.basis } : {}),
    ...(options.party ? { party: options.party } : {}),
  });
}

export function orgValue(name: string, aliases: AliasTable): FieldValue {
  return { kind: 'org', name: name.trim(), normalized: normOrg(name, aliases) };
}

export function dateFieldValue(value: DateValue): DateFieldValue {
  return { kind: 'date', ...value };
}

export function amountFieldValue(amount: FoundAmount | Omit<FoundAmount, 'start' | 'end'>, taxIncluded?: boolean): AmountValue {
  return {
    kind: 'amount',
    wan: amount.wan,
    yuan: amount.yuan,
    number: amount.number,
    unit: amount.unit,
    unitSource: amount.unitSource,
    form: amount.form,
    raw: amount.raw,
    ...(taxIncluded === undefined ? {} : { taxIncluded }),
  };
}

/** The first day-precision (or better) single date among found dates. */
export function firstSingleDate(found: FoundDate[]): DateValue | null {
  for (const date of found) if (date.kind === 'date') return stripDate(date);
  return null;
}

export function stripDate(date: FoundDate & { kind: 'date' }): DateValue {
  return {
    iso: date.iso,
    precision: date.precision,
    earliest: date.earliest,
    latest: date.latest,
    ...(date.fuzzy ? { fuzzy: date.fuzzy } : {}),
  };
}

const ORG_TAIL = String.raw`(?:有限责任公司|股份有限公司|有限公司|分公司|公司|集团|研究院|设计院|研究所|事务所|中心|办公室|委员会|管理局|局|厅|委|办|院|所|站|馆|大学|学院|医院|政府|厂|矿)`;
/** An organisation name inside running text: the shortest run ending like an organisation, then a boundary. */
export const ORG_IN_TEXT = String.raw`([^\s,，。;；、:：()（）"“”]{2,50}?${ORG_TAIL}(?:\([^()]{1,20}\))?)(?=[,，。;；、\s)）]|$|和|与|及|负责|承担|承建|共同|为|作为|组织|于|对|进行|主持|出具|编制)`;

/** Cleans a label's value that should be an organisation; null when it does not read as one. */
export function cleanOrgValue(value: string): { name: string; looksLikeOrg: boolean } | null {
  const name = value
    .replace(/[(（][^()（）]{0,8}(?:章|签字|签名)[^()（）]{0,4}[)）]/g, '')
    // "X检测有限公司（CMA证书编号 2019…）": the bracket is the agency's mark (terms.ts reads it), not part of its name.
    .replace(/[(（][^()（）]*(?:CMA|CNAS|证书编号|资质认定)[^()（）]*[)）]/g, '')
    .split(/[;；。，,]/)[0]!
    .replace(/^[\s:：]+|[\s:：]+$/g, '')
    .trim();
  if (!name || name.length < 2) return null;
  // "卖方：指与买方签订合同的…" defines a term; "招标人：见前附表" points elsewhere.
  if (/^(?:指|是指|系指|即|为|是|见|详见|参见|按|由|在|与|和|如|应|须)/.test(name)) return null;
  return { name, looksLikeOrg: looksLikeOrg(name) };
}

export { findAmounts };
