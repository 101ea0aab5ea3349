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
  //   exact on its first count: 218 of 236. Short of issue 9's 97 % still.
  // - 2026-12-05: a fourth gathering added 8 rows (7 of 8 exact on their first count; 225 of 244). The half was then
  //   OPENED: its failures were read and the grammar changed on their kinds (letters that send a document, standards'
  //   titles, editions and file-name underscores, book-title marks, textbook names of the GB/T 8567 set), so from here
  //   on it measures nothing unseen. To keep an unseen figure, another person gathered 187 new titles
  //   (fresh-2026-12-05.tsv) that nobody had run through the classifier; counted once, after the changes above and
  //   before anyone looked at them: 152 of 187 exact (81.3 %; typed 85 of 114, 11 more unsure with the right candidate;
  //   6 of 73 none forced). Their failures were then read too (176 of 187 after the changes they led to) and the set was
  //   merged by merge.ts (dev +147, holdout +40): 274 of 284, 6 of 122 none forced.
  // - 2026-12-05, second session: two more unseen sets, each counted once by counts only before anyone read them. Round
  //   5 for the short types (gathered-2026-12-05b.tsv): 15 of 22 exact (68.2 %). A general set (fresh-2026-12-05b.tsv):
  //   140 of 181 (77.3 %; typed 65 of 98, 9 more unsure with the right candidate; 8 of 83 none forced); 8 of its labels
  //   went against this table's conventions (项目开发计划/项目管理计划 without 书, and 详细设计, are none here) and
  //   were set to none before merging; with them, that count is 147 of 181 (81.2 %). Their failures were then read,
  //   the grammar changed on their kinds (see checklists/SPEC-NOTES.md, "Added 2026-12-05"), and both were merged:
  //   316 of 329, 5 of 141 none forced. A third unseen set (fresh-2026-12-05c.tsv, gathered after those changes by a
  //   third person under the table's conventions), counted once the same way: 132 of 155 (85.2 %; typed 86 of 101, 4
  //   more unsure with the right candidate; 8 of 54 none forced). Its failures were read in turn (148 of 155 after the
  //   changes) and it was merged (dev +122, holdout +33): 348 of 362, 5 of 150 none forced. Two more unseen sets
  //   (fresh-2026-12-05d.tsv, acceptance stage; fresh-2026-12-05e.tsv, filing stage), counted once the same way:
  //   42 of 49 (85.7 %; typed 13 of 14; 6 of 35 none forced) and 43 of 52 (82.7 %; typed 25 of 33, 2 more unsure with
  //   the right candidate; 1 of 19 none forced). After the changes their failures led to (44 of 49, 47 of 52) both
  //   were merged (dev +71, holdout +30): 378 of 392, 5 of 169 none forced.
  // - 2026-12-05, third session: four more unseen sets from four gatherers (fresh-2026-12-05f/g/h/i.tsv), counted once
  //   by counts only before anyone read them: f (general) 117 of 128 (91.4 %); g (the short types) 41 of 54 (75.9 %);
  //   h (procurement, contracts, tests) 95 of 116 (81.9 %); i (project file names from public repositories) 97 of 122
  //   (79.5 %); together 350 of 420 (83.3 %). Their failures were then read, the grammar changed on their kinds (file
  //   names and numbered first lines read as titles, notices that hand down a plan, terms holding their own exclusion
  //   word, volumes and worded editions), and all four were merged (dev +321, holdout +99): 471 of 491, 7 of 230 none
  //   forced. Two more unseen sets were gathered after those changes (fresh-2026-12-05j.tsv from government and
  //   document-site pages, fresh-2026-12-05k.tsv from project repositories not used before) and counted once the same
  //   way, with cover layouts (a project's name above the document's) read as well: j 106 of 116 (91.4 %; typed 32 of
  //   36; 6 of 80 none forced), k 80 of 86 (93.0 %; typed 43 of 46; 3 of 40 none forced). Their failures were read
  //   (policy and market-study words, 验收方案, a template's "-XX项目", questions with 是否), and both were merged
  //   (dev +152, holdout +49): 515 of 540, 8 of 255 none forced. Two of their rows label a 技术服务合同 as a
  //   maintenance agreement; the title variants keep it a contract (see checklists/catalogue.yaml), so they stay misses.
  //   After a review of the session's change (covers, list numbers, article words; 70cbb9b): 516 of 540, 7 of 255 none
  //   forced.
  // - 2026-12-05, fourth session: seven more unseen sets (fresh-2026-12-05l…r.tsv), each counted once by counts only
  //   before anyone read it, with the classifier of the moment and, for comparison, the classifier as the session began
  //   (4013430), which gave the same counts for every set but q (130): l (acceptance stage) 56 of 62; m (filing and
  //   approvals) 77 of 104 as gathered, 90 of 104 after 13 request letters labelled 申报表 were set to the table's
  //   convention (a letter that sends or asks approval for a paper is none; 立项报告 is a proposal); n (procurement and
  //   contracts) 60 of 69; o (the short types) 67 of 80; p (state enterprises, hospitals, schools) 54 of 60; q (project
  //   file names from repositories not used before) 132 of 141; r (county governments) 19 of 21. Together 478 of 537
  //   (89.0 %). Their failures were read, the grammar changed on their kinds (see checklists/SPEC-NOTES.md, "fourth
  //   session"), and all were merged (dev +399, holdout +126): 637 of 666, 8 of 334 none forced. An eighth set, gathered
  //   after those changes and after a review's mends (s: documents as archive lists and bound dossiers' contents name
  //   them), counted once the same way: 52 of 60 (86.7 %; the classifier as the session began gave the same count).
  //   After the changes it led to it was merged (dev +44, holdout +16): 653 of 682, 8 of 340 none forced. During that
  //   work a failing run of this test printed its failures (the assertion message lists them), so the half was seen
  //   again. A ninth set (t: ministries and provincial big-data centres), counted once the same way after all that:
  //   57 of 68 (83.8 %); the classifier as the session began gave 58 (a 建设工作实施方案 had become unsure; that exclusion
  //   was then dropped). After the changes it led to (file extensions on a page, a document number's brackets inside a
  //   remark, 可行性方案, 功能需求) it was merged (dev +45, holdout +23): 676 of 705, 8 of 353 none forced.
  // - 2026-12-05, fifth session: ten more unseen sets (fresh-2026-12-05u…dd.tsv; 67 rows dropped first as known titles
  //   shown with a file's extension, which merge.ts now drops too). Each was counted by counts only before its failures
  //   were read; the classifier as the session began (92803e7) gave 457 of 522 on them (87.5 %), the classifier after
  //   this session's changes 498 of 522. Meanwhile the half stood at 676 of 705. Once, a catalogue change (项目技术要求
  //   and similar procurement terms) lowered this half's count to 675 with one more none title forced; the change was
  //   taken back on that count alone, without any title shown. Merged (dev +389, holdout +133): 805 of 838, 9 of 421
  //   none forced.
  // - 2026-12-05, sixth session: six more unseen sets (fresh-2026-12-05ee…jj.tsv, 277 titles; rows whose source was no
  //   address were dropped), each counted before its failures were read: the classifier as the session began (aa0a0b3)
  //   gave 252 of 277. Meanwhile the half stood at 805 of 838. Once, plain exclusions of a government's verbs of policy
  //   (推进, 加快…) for 实施方案 lowered this half's count to 804 with no more none titles forced; they were recast, on
  //   that count, as programme words that apply only where the title names nothing a project builds, and the count
  //   came back to 805, without any title shown. Merged (dev +199, holdout +78; these 78 had been read with their
  //   sets): 881 of 916, 10 of 486 none forced. This test holds that as the floor.
  it('types at least as many exactly as when it was last measured (881 of 916; the issue asks 97 %), and forces no more none titles into a type', () => {
    const outcomes = rows.map(classifyTitle);
    const exact = outcomes.filter((o) => o.exact).length;
    const forced = outcomes.filter((o) => o.row.expected === 'none' && !o.exact).length;
    // Counts only in the messages, as score.ts prints: a failing run must not show the half's titles to whoever reads it.
    expect(rows.length).toBeGreaterThanOrEqual(916);
    expect(exact, `${exact}/${rows.length} exact`).toBeGreaterThanOrEqual(881);
    expect(forced, `${forced} none titles forced into a type`).toBeLessThanOrEqual(10);
  });
});
