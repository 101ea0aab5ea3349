import { foldTitle, type PageLayout } from './layout.ts';
import type { TocEntry } from './toc.ts';

/**
 * From a 目录's printed page numbers to the file's pages. Printed numbers rarely equal physical ones (cover, 前言 and
 * the 目录 itself come first, and 目录s are wrong now and then), so the offset is measured, and each title is then
 * looked for on the pages near where the offset puts it.
 */

export interface LocatedEntry extends TocEntry {
  /** Physical page the document starts on. */
  page: number;
  /** True when the title was found on that page; false when only the offset placed it there. */
  found: boolean;
}

/** How far from its predicted page a title is looked for. */
const SEARCH_RADIUS = 6;
/** How many content lines at the top of a page make its title zone. */
const TITLE_ZONE_LINES = 6;
/** Share of a title's characters that must appear, in order, at the top of the page. */
const MATCH_THRESHOLD = 0.85;

/** How well a 目录 title matches the top of a page: 0–1, the share of its characters found in order near the top. */
export function titleScore(title: string, layout: PageLayout): number {
  const t = foldTitle(title);
  if (!t) return 0;
  const zone = titleZone(layout);
  if (zone.includes(t)) return 1;
  // Order-preserving overlap against the start of the zone only, so body text further down cannot add up to a title.
  const head = zone.slice(0, Math.ceil(t.length * 1.3) + 6);
  // Shared characters bound the common subsequence from above; most pages fail this cheap test.
  const bound = sharedCharacters(t, head);
  if (bound < MATCH_THRESHOLD * t.length) return bound / t.length;
  return lcs(t, head) / t.length;
}

const zones = new WeakMap<PageLayout, string>();

/** The folded top of a page, computed once per page: every 目录 entry is compared with every page. */
function titleZone(layout: PageLayout): string {
  let zone = zones.get(layout);
  if (zone === undefined) {
    zone = foldTitle(layout.lines.slice(0, TITLE_ZONE_LINES).join(''));
    zones.set(layout, zone);
  }
  return zone;
}

function sharedCharacters(a: string, b: string): number {
  const counts = new Map<string, number>();
  for (const c of b) counts.set(c, (counts.get(c) ?? 0) + 1);
  let shared = 0;
  for (const c of a) {
    const n = counts.get(c) ?? 0;
    if (n > 0) {
      shared++;
      counts.set(c, n - 1);
    }
  }
  return shared;
}

function lcs(a: string, b: string): number {
  const prev = new Array<number>(b.length + 1).fill(0);
  const cur = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) cur[j] = a[i - 1] === b[j - 1] ? prev[j - 1]! + 1 : Math.max(prev[j]!, cur[j - 1]!);
    for (let j = 0; j <= b.length; j++) prev[j] = cur[j]!;
  }
  return prev[b.length]!;
}

/**
 * The offset (physical − printed) most pages agree on, from the page numbers printed on the pages; else from the
 * first entry whose title is found on exactly one page after the 目录.
 */
export function measureOffset(layouts: PageLayout[], entries: TocEntry[], after: number): number | undefined {
  // Titles found on exactly one page vote first: printed numbers may restart with each bound document.
  const byTitle = new Map<number, number>();
  for (const entry of entries) {
    const hits = layouts.filter((l) => l.n > after && titleScore(entry.title, l) >= MATCH_THRESHOLD);
    if (hits.length === 1) byTitle.set(hits[0]!.n - entry.printed, (byTitle.get(hits[0]!.n - entry.printed) ?? 0) + 1);
  }
  const titled = [...byTitle].sort((a, b) => b[1] - a[1])[0];
  if (titled && (titled[1] >= 2 || entries.length < 3)) return titled[0];
  const byNumber = new Map<number, number>();
  for (const l of layouts) if (l.n > after && l.printed !== undefined) byNumber.set(l.n - l.printed, (byNumber.get(l.n - l.printed) ?? 0) + 1);
  const numbered = [...byNumber].sort((a, b) => b[1] - a[1])[0];
  if (numbered && numbered[1] >= 2) return numbered[0];
  return titled?.[0];
}

/**
 * Each entry's physical start page: the page near the prediction whose top carries the title (best match, then
 * nearest), never before the entry above it. Entries whose title is found nowhere keep the predicted page.
 */
export function locateEntries(layouts: PageLayout[], entries: TocEntry[], tocLastPage: number): LocatedEntry[] {
  const offset = measureOffset(layouts, entries, tocLastPage) ?? tocLastPage;
  const byN = new Map(layouts.map((l) => [l.n, l]));
  const lastPage = layouts[layouts.length - 1]?.n ?? 0;
  const out: LocatedEntry[] = [];
  let floor = tocLastPage + 1;
  for (const entry of entries) {
    const predicted = Math.min(Math.max(entry.printed + offset, floor), lastPage);
    let best: { page: number; score: number; distance: number } | undefined;
    for (let n = Math.max(floor, predicted - SEARCH_RADIUS); n <= Math.min(lastPage, predicted + SEARCH_RADIUS); n++) {
      const layout = byN.get(n);
      if (!layout) continue;
      const score = titleScore(entry.title, layout);
      if (score < MATCH_THRESHOLD) continue;
      const distance = Math.abs(n - predicted);
      if (!best || score > best.score + 0.05 || (Math.abs(score - best.score) <= 0.05 && distance < best.distance)) best = { page: n, score, distance };
    }
    const page = best?.page ?? predicted;
    out.push({ ...entry, page, found: best !== undefined });
    floor = page;
  }
  return out;
}
