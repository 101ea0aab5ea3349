import type { LoadedChecklist } from './load.ts';

/**
 * Does a dossier belong to another jurisdiction than the one chosen? Each jurisdiction file lists its own place
 * names, issuers and 文号 prefixes (`cityHints`); this counts which of them the documents carry. It answers only when
 * the evidence for one other jurisdiction is strong and the chosen one's is weak: an 益阳 dossier that names its
 * 常德 contractor, or cites 常德's regulation as an example, is not flagged.
 */

export interface CityHintPage {
  path: string;
  page?: number;
  text: string;
}

export interface CityHintHit {
  hint: string;
  kind: 'place' | 'issuer' | 'documentNumber';
  path: string;
  page?: number;
  quote: string;
}

export interface CityMismatch {
  city: string;
  cityName: string;
  evidence: CityHintHit[];
}

/** An issuer or a 文号 says more than a place name, which a contractor's address or a comparison may carry. */
const WEIGHT: Record<CityHintHit['kind'], number> = { place: 1, issuer: 2, documentNumber: 2 };
/** The other jurisdiction's evidence needed before anything is said: e.g. a 文号 and a place, or three places. */
const MIN_SCORE = 3;
/** …and it must outweigh the chosen jurisdiction's own by this much. */
const DOMINANCE = 4;
/** Characters of each page looked at: hints sit in titles, letterheads, 文号 and signatures, not deep in annexes. */
const TEXT_PER_PAGE = 20_000;

interface Matcher {
  hint: string;
  kind: CityHintHit['kind'];
  find: (text: string) => number;
}

function matchers(checklist: LoadedChecklist): Matcher[] {
  const hints = checklist.cityHints;
  if (!hints) return [];
  const substring = (hint: string) => (text: string) => text.indexOf(hint);
  return [
    ...hints.placeNames.map((hint) => ({ hint, kind: 'place' as const, find: substring(hint) })),
    ...hints.issuerHints.map((hint) => ({ hint, kind: 'issuer' as const, find: substring(hint) })),
    ...hints.documentNumberPrefixes.map((hint) => {
      // A prefix counts only as a 文号: followed closely by the year in brackets (常发改〔2023〕12号).
      const pattern = new RegExp(`${escape(hint)}[\\u4e00-\\u9fff]{0,4}[〔［\\[（(【]\\s*(19|20)\\d{2}`);
      return { hint, kind: 'documentNumber' as const, find: (text: string) => text.search(pattern) };
    }),
  ];
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The distinct hints of one jurisdiction found in the pages, each with where it was first seen. */
export function cityHintHits(checklist: LoadedChecklist, pages: CityHintPage[]): CityHintHit[] {
  const hits: CityHintHit[] = [];
  for (const m of matchers(checklist)) {
    for (const p of pages) {
      const text = p.text.length > TEXT_PER_PAGE ? p.text.slice(0, TEXT_PER_PAGE) : p.text;
      const at = m.find(text);
      if (at < 0) continue;
      const quote = text.slice(Math.max(0, at - 12), at + m.hint.length + 16).replace(/\s+/g, ' ').trim();
      hits.push({ hint: m.hint, kind: m.kind, path: p.path, page: p.page, quote });
      break;
    }
  }
  // A hint inside a longer one also found (常德 within 常德市) says nothing more.
  return hits.filter((h) => !hits.some((o) => o !== h && o.hint.length > h.hint.length && o.hint.includes(h.hint)));
}

function score(hits: CityHintHit[]): number {
  return hits.reduce((sum, h) => sum + WEIGHT[h.kind], 0);
}

/**
 * The other jurisdiction the documents seem to belong to, or undefined when they fit the chosen one or the
 * evidence is not clear (two other jurisdictions close together, too few hints).
 */
export function detectCityMismatch(chosen: LoadedChecklist, others: LoadedChecklist[], pages: CityHintPage[]): CityMismatch | undefined {
  const own = score(cityHintHits(chosen, pages));
  const ranked = others
    .filter((o) => o.id !== chosen.id && o.cityHints)
    .map((o) => ({ checklist: o, hits: cityHintHits(o, pages) }))
    .map((o) => ({ ...o, score: score(o.hits) }))
    .sort((a, b) => b.score - a.score);
  const [best, second] = ranked;
  if (!best || best.score < MIN_SCORE || best.score < DOMINANCE * own) return undefined;
  if (second && second.score * 2 > best.score) return undefined;
  return { city: best.checklist.id, cityName: best.checklist.name, evidence: best.hits.sort((a, b) => WEIGHT[b.kind] - WEIGHT[a.kind]).slice(0, 5) };
}
