import { describe, expect, it } from 'vitest';
import { PRESENTATIONS, classifyFileName, classifyPresented, classifyTitle, knownTypes, readTitleTable } from './real-titles/measure.ts';

const rows = readTitleTable('dev');

describe('when the classifier reads published titles it was developed on (tests/classify/real-titles/dev.tsv)', () => {
  it('names only catalogue types or none, and cites where each title was published', () => {
    const types = knownTypes();
    expect(rows.filter((r) => r.expected !== 'none' && !types.has(r.expected)).map((r) => `${r.line}: ${r.expected}`)).toEqual([]);
    expect(rows.filter((r) => !/^https?:\/\//.test(r.source)).map((r) => r.line)).toEqual([]);
  });

  it('types at least 97 % of them exactly, and forces no title that is none of our types into one', () => {
    const outcomes = rows.map(classifyTitle);
    const wrong = outcomes.filter((o) => !o.exact).map((o) => `${o.row.line}: ${o.row.title} → ${o.got}（应为 ${o.row.expected}）`);
    const share = outcomes.filter((o) => o.exact).length / outcomes.length;
    expect(share, wrong.join('\n')).toBeGreaterThanOrEqual(0.97);
    const forced = outcomes.filter((o) => o.row.expected === 'none' && !o.exact).map((o) => `${o.row.title} → ${o.got}`);
    expect(forced.length, forced.join('\n')).toBeLessThanOrEqual(Math.floor(outcomes.filter((o) => o.row.expected === 'none').length * 0.03));
  });

  // The issue asks 97 % of the whole table. Fourth session: 2882 of 2971 (97.0 %). Fifth session: ten more unseen sets
  // (fresh-2026-12-05u…dd.tsv, 522 titles) brought it to 3385 of 3493 (96.9 %), short by four titles. Sixth session: six
  // more unseen sets (fresh-2026-12-05ee…jj.tsv, 277 titles, most of them none titles that use our words), on which the
  // classifier as the session began (aa0a0b3) typed 252 exactly (91.0 %); after that session's changes the whole table
  // came to 3662 of 3770 (97.1 %). The share is asserted on whatever the table holds, so a harder title added later
  // shows as a shortfall rather than being left out.
  const WHOLE_TABLE_SHARE = 0.97;

  it('types the whole table (dev and holdout together) at least 97 % exactly, reporting counts only', () => {
    const all = [...rows, ...readTitleTable('holdout')].map(classifyTitle);
    const exact = all.filter((o) => o.exact).length;
    // No title in the message: the holdout half stays unseen.
    expect(all.length).toBeGreaterThanOrEqual(3770);
    expect(exact / all.length, `${exact}/${all.length} exact`).toBeGreaterThanOrEqual(WHOLE_TABLE_SHARE);
  });

  it('reads the whole table as file names (numbered, on scans whose text yields no title) as well as titles', () => {
    const all = [...rows, ...readTitleTable('holdout')].map(classifyFileName);
    const exact = all.filter((o) => o.exact).length;
    expect(exact / all.length, `${exact}/${all.length} exact`).toBeGreaterThanOrEqual(WHOLE_TABLE_SHARE);
  });

  // Measured 2026-12-05 (third session) on 2318 titles: plain 97.0 %, enclosure 96.8 %, numbered 95.7 %, stamped 97.1 %,
  // dated 97.0 %, cover 96.5 %. The classifier as that session began, on the same 2318: 94.4, 92.7, 49.3, 94.5, 94.4
  // and 93.9 %.
  // Fourth session (header, letterhead, body and wrapped added), on 2971 titles, the classifier as it began (4013430)
  // → as it ended: plain 95.2 → 97.0, enclosure 95.0 → 96.8, numbered 94.1 → 96.5, stamped 95.2 → 97.0, dated 95.2 →
  // 97.0, header 93.6 → 96.0, letterhead 93.6 → 96.9, body 94.3 → 97.0, wrapped 92.9 → 95.7, cover 94.4 → 96.4 %.
  // Fifth session (contents, controlLabels, scannedCopy, quoted, fullWidth, pageNumber, formRow, twoColumn and labelled
  // added), on the same 2971 titles, the classifier as it began (92803e7) → as it ended: plain 97.0 → 97.2, contents
  // 85.1 → 97.1, controlLabels 95.3 → 97.1, scannedCopy 95.5 → 97.0, quoted 95.9 → 97.0, fullWidth 96.1 → 97.2,
  // pageNumber 96.1 → 96.3 (a numbered line under a page's number stays unsure: it is as often a body page's section),
  // formRow 95.4 → 96.9, twoColumn 94.2 → 97.2, labelled 94.4 → 97.2 %. The table then grew to 3493 titles.
  // Sixth session, on 3770 titles, the classifier as it began (aa0a0b3) → as it ended: plain 96.5 → 97.1, enclosure
  // 96.3 → 96.9, numbered 95.9 → 96.6, header 95.6 → 96.3, letterhead 96.3 → 97.0, wrapped 95.4 → 95.9, contents 96.4 →
  // 97.1, pageNumber 95.6 → 96.3, formRow 96.3 → 96.9, cover 95.9 → 96.6 %; file names 96.5 → 97.1 %. New: the year in
  // brackets after the title ("…验收报告(2024)") 73.3 → 97.1 %: a bare bracketed year closing a line of 20 characters or
  // fewer was taken for a document number.
  it('types the whole table alike however a dossier sets the title on its page: at least 95 % exactly in each presentation', () => {
    const all = [...rows, ...readTitleTable('holdout')];
    const shares = Object.entries(PRESENTATIONS).map(([name, present]) => {
      const exact = all.filter((row) => classifyPresented(row, present).exact).length;
      return { name, exact, share: exact / all.length };
    });
    expect(shares.filter((s) => s.share < 0.95).map((s) => `${s.name}: ${s.exact}/${all.length}`)).toEqual([]);
  });
});
