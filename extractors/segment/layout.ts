import type { Page } from '../model.ts';

/**
 * What one page looks like to a reader leafing through a volume: its running header and footer (the same line on most
 * pages) and its printed page number are furniture; what remains is the content, whose first lines are where a
 * document's title stands.
 */

export interface PageLayout {
  /** Physical page number in the file (Page.n). */
  n: number;
  /** Printed page number (页码) found at the top or bottom of the page, if any. */
  printed?: number;
  /** Content lines: running header/footer and page-number lines removed, empty lines dropped. */
  lines: string[];
  /** True when the page carries no content at all (a blank separator sheet, or an empty scan). */
  blank: boolean;
}

/** Lines that are only a page number: `12`, `- 12 -`, `— 12 —`, `第 12 页`, `第12页 共30页`, `12/30`. */
const PAGE_NUMBER_LINE = [
  /^[-—–－\s]*(\d{1,4})[-—–－\s]*$/,
  /^第\s*(\d{1,4})\s*页(?:\s*[,，、]?\s*共\s*\d{1,4}\s*页)?$/,
  /^(\d{1,4})\s*\/\s*\d{1,4}$/,
  /^(?:page|p\.)\s*(\d{1,4})(?:\s*(?:of|\/)\s*\d{1,4})?$/i,
];

/** How many lines at each end of a page may hold a running header, footer or page number. */
const FURNITURE_LINES = 2;

export function pageNumberOf(line: string): number | undefined {
  const t = line.trim();
  for (const re of PAGE_NUMBER_LINE) {
    const m = re.exec(t);
    if (m) return Number(m[1]);
  }
  return undefined;
}

/** A header or footer is recognised by its text with digits removed, so `第3页` headers and dated headers repeat too. */
function furnitureKey(line: string): string {
  return line.replace(/\s+/g, '').replace(/\d+/g, '#');
}

/** Headers and footers are short and are not sentences; a body line that happens to repeat is neither. */
function mayBeFurniture(line: string): boolean {
  return line.length <= 40 && !/[。；;，,！!？?]$/.test(line);
}

/**
 * Lines that repeat at the top (or bottom) of at least half of the pages, and of at least three, are running
 * headers (footers). A one- or two-page file has none: its repeated lines may well be titles.
 */
function runningLines(pages: string[][], end: 'top' | 'bottom'): Set<string> {
  const counts = new Map<string, number>();
  for (const lines of pages) {
    const zone = end === 'top' ? lines.slice(0, FURNITURE_LINES) : lines.slice(-FURNITURE_LINES);
    for (const key of new Set(zone.filter(mayBeFurniture).map(furnitureKey))) if (key.replace(/#/g, '').length >= 2) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const nonBlank = pages.filter((l) => l.length > 0).length;
  const out = new Set<string>();
  for (const [key, count] of counts) if (count >= 3 && count >= nonBlank / 2) out.add(key);
  return out;
}

export function layoutPages(pages: readonly Page[]): PageLayout[] {
  const raw = pages.map((p) => p.text.split('\n').map((l) => l.trim()).filter((l) => l.length > 0));
  const headers = runningLines(raw, 'top');
  const footers = runningLines(raw, 'bottom');
  return pages.map((page, i) => {
    let lines = raw[i]!;
    let printed: number | undefined;
    // Strip furniture from the top: running header lines and one page-number line, in whatever order they come.
    for (let k = 0; k < FURNITURE_LINES + 1 && lines.length > 0; k++) {
      const first = lines[0]!;
      if (headers.has(furnitureKey(first))) lines = lines.slice(1);
      else if (printed === undefined && pageNumberOf(first) !== undefined && lines.length > 1) {
        printed = pageNumberOf(first);
        lines = lines.slice(1);
      } else break;
    }
    for (let k = 0; k < FURNITURE_LINES + 1 && lines.length > 0; k++) {
      const last = lines[lines.length - 1]!;
      if (footers.has(furnitureKey(last))) lines = lines.slice(0, -1);
      else if (printed === undefined && pageNumberOf(last) !== undefined && lines.length > 1) {
        printed = pageNumberOf(last);
        lines = lines.slice(0, -1);
      } else break;
    }
    return { n: page.n, printed, lines, blank: lines.join('').replace(/[\s\p{P}]/gu, '').length === 0 };
  });
}

/** Title matching ignores everything but Han characters, letters and digits (brackets, spaces, punctuation vary). */
export function foldTitle(s: string): string {
  return s.replace(/[^\p{Script=Han}\p{L}\p{N}]/gu, '').toLowerCase();
}
