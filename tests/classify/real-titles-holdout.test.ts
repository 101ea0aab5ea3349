import { describe, expect, it } from 'vitest';
import { classifyTitle, knownTypes, readTitleTable } from './real-titles/measure.ts';

const rows = readTitleTable('holdout');

describe('when the classifier reads published titles kept apart while it was developed (tests/classify/real-titles/holdout.tsv)', () => {
  it('names only catalogue types or none, and cites where each title was published', () => {
    const types = knownTypes();
    expect(rows.filter((r) => r.expected !== 'none' && !types.has(r.expected)).map((r) => `${r.line}: ${r.expected}`)).toEqual([]);
    expect(rows.filter((r) => !/^https?:\/\//.test(r.source)).map((r) => r.line)).toEqual([]);
  });

  // Measured once, at the end of the work on the classifier (2026-12-04): 189 of 206 exact (91.7 %), 7 of the 91
  // none titles forced into a type — short of issue 9's 97 %. The dev half is at 99.4 % (660/664): the grammar fits
  // what it was tuned on better than what it has not seen. The holdout's failures are now known, so tuning on them
  // would no longer measure anything; this test holds the figure as a floor so that it cannot fall unnoticed, and a
  // fresh holdout needs newly gathered titles (merge.ts splits them by the same SHA-1 rule).
  it('types at least as many exactly as when it was measured once (91.7 %; the issue asks 97 %), and forces no more none titles into a type', () => {
    const outcomes = rows.map(classifyTitle);
    const wrong = outcomes.filter((o) => !o.exact).map((o) => `${o.row.line}: ${o.row.title} → ${o.got}（应为 ${o.row.expected}）`);
    const share = outcomes.filter((o) => o.exact).length / outcomes.length;
    expect(share, wrong.join('\n')).toBeGreaterThanOrEqual(189 / 206);
    const forced = outcomes.filter((o) => o.row.expected === 'none' && !o.exact).map((o) => `${o.row.title} → ${o.got}`);
    expect(forced.length, forced.join('\n')).toBeLessThanOrEqual(7);
  });
});
