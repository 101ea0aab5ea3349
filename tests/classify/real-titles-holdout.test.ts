import { describe, expect, it } from 'vitest';
import { classifyTitle, knownTypes, readTitleTable } from './real-titles/measure.ts';

const rows = readTitleTable('holdout');

describe('when the classifier reads published titles kept apart while it was developed (tests/classify/real-titles/holdout.tsv)', () => {
  it('names only catalogue types or none, and cites where each title was published', () => {
    const types = knownTypes();
    expect(rows.filter((r) => r.expected !== 'none' && !types.has(r.expected)).map((r) => `${r.line}: ${r.expected}`)).toEqual([]);
    expect(rows.filter((r) => !/^https?:\/\//.test(r.source)).map((r) => r.line)).toEqual([]);
  });

  // Measured twice, each time once and by counts only (tests/classify/real-titles/score.ts prints no title):
  // - 2026-12-04, first: 189 of 206 exact (91.7 %), 7 of the 91 none titles forced into a type. Those failures were then
  //   looked at, so the first 206 rows no longer measure anything unseen.
  // - 2026-12-04, second, before any change to the classifier: the table grew by a new gathering (merge.ts, same SHA-1
  //   split) and the half was measured again: 202 of 221 exact (91.4 %), 8 of the 96 none titles forced into a type;
  //   the 15 new rows alone: 13 of 15 exact (86.7 %), 1 of their 5 none titles forced. Short of issue 9's 97 %: the
  //   grammar fits what it was tuned on (dev) better than what it has not seen. The classifier was then changed on dev
  //   failures only (指导意见/实施意见 as policy heads, 文档 after a head, a bare hyphen between Chinese words as a
  //   joint); counted again afterwards, still by counts only: 203 of 221, 8 none forced. A second, smaller gathering
  //   then added one holdout row, typed exactly on its first count (204 of 222).
  // - 2026-12-04, evening: three more gatherings (merge.ts, same split), each counted once before the grammar changed
  //   again: the fifth added 8 holdout rows (all none), 8 of 8 exact, half 213 of 231, 8 of 104 none forced; the sixth
  //   added 1 typed row, 0 of 1 exact, half 213 of 232. The grammar was then changed on dev failures only (commit
  //   f3da299) and the half counted again: 214 of 232. The seventh gathering added 1 none row, exact on its first count
  //   (215 of 233); a last dev-only change (38f27ca) left it at 215 of 233, 8 of 105 none forced. An eighth gathering
  //   added 2 none rows, both exact on their first count: 217 of 235, 8 of 107 none forced; a tenth added 1 typed row,
  //   exact on its first count: 218 of 236. Short of issue 9's 97 % still. This test holds the figure measured before that evening's grammar changes (213, then 232 rows) as
  //   the floor, so that it cannot fall unnoticed.
  it('types at least as many exactly as when it was last measured before a grammar change (213 of 232; the issue asks 97 %), and forces no more none titles into a type', () => {
    const outcomes = rows.map(classifyTitle);
    const wrong = outcomes.filter((o) => !o.exact).map((o) => `${o.row.line}: ${o.row.title} → ${o.got}（应为 ${o.row.expected}）`);
    const exact = outcomes.filter((o) => o.exact).length;
    expect(rows.length).toBeGreaterThanOrEqual(233);
    expect(exact, wrong.join('\n')).toBeGreaterThanOrEqual(213);
    const forced = outcomes.filter((o) => o.row.expected === 'none' && !o.exact).map((o) => `${o.row.title} → ${o.got}`);
    expect(forced.length, forced.join('\n')).toBeLessThanOrEqual(8);
  });
});
