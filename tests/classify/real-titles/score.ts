/**
 * Counts only: `npx tsx tests/classify/real-titles/score.ts [holdout|dev] [--from-line N]`, or
 * `… score.ts GATHERED.tsv` for a gathered file not yet merged.
 *
 * Prints how many titles of a half the classifier types exactly and how many `none` titles it forces into a type,
 * without printing any title, so the held-out half can be measured without being looked at. `--from-line N` also
 * reports the rows from line N on (a newly merged gathering) separately. A gathered file is counted the same way, with
 * its typed titles that stay unsure with the right candidate: the first count of an unseen set, taken before anyone
 * reads its failures.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { classifyTitle, readTitleFile, readTitleTable } from './measure.ts';

export function score(split: 'dev' | 'holdout', fromLine = 0) {
  const outcomes = readTitleTable(split).map(classifyTitle);
  const tally = (list: typeof outcomes) => ({
    rows: list.length,
    exact: list.filter((o) => o.exact).length,
    none: list.filter((o) => o.row.expected === 'none').length,
    forcedNone: list.filter((o) => o.row.expected === 'none' && !o.exact).length,
  });
  return { all: tally(outcomes), fromLine: fromLine > 0 ? tally(outcomes.filter((o) => o.row.line >= fromLine)) : undefined };
}

/** A gathered file's counts: exact, typed exact, typed unsure with the right candidate, none forced. */
export function scoreGathered(file: string) {
  const rows = readTitleFile(file);
  const outcomes = rows.map(classifyTitle);
  const typed = outcomes.filter((o) => o.row.expected !== 'none');
  return {
    rows: rows.length,
    exact: outcomes.filter((o) => o.exact).length,
    typed: typed.length,
    typedExact: typed.filter((o) => o.exact).length,
    typedUnsureRight: typed.filter((o) => !o.exact && o.classification.unsure && o.classification.candidates.some((c) => c.id === o.row.expected)).length,
    none: rows.length - typed.length,
    forcedNone: outcomes.filter((o) => o.row.expected === 'none' && !o.exact).length,
  };
}

function main(args: string[]): number {
  if (args[0]?.endsWith('.tsv')) {
    const t = scoreGathered(args[0]);
    console.log(
      `${args[0]}: ${t.exact}/${t.rows} exact (${((100 * t.exact) / Math.max(1, t.rows)).toFixed(1)} %); typed ${t.typedExact}/${t.typed}, ` +
        `${t.typedUnsureRight} more unsure with the right candidate; none forced into a type ${t.forcedNone}/${t.none}`,
    );
    return 0;
  }
  const split = args[0] === 'dev' ? 'dev' : 'holdout';
  const i = args.indexOf('--from-line');
  const fromLine = i >= 0 ? Number(args[i + 1]) : 0;
  const { all, fromLine: part } = score(split, fromLine);
  const line = (label: string, t: ReturnType<typeof score>['all']) =>
    console.log(`${label}: ${t.exact}/${t.rows} exact (${((100 * t.exact) / Math.max(1, t.rows)).toFixed(1)} %), none forced into a type ${t.forcedNone}/${t.none}`);
  line(split, all);
  if (part) line(`${split} rows from line ${fromLine}`, part);
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exitCode = main(process.argv.slice(2));
