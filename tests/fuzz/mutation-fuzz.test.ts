import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  REPO_ROOT,
  bisect,
  coveringMutants,
  defaultSeedInputPaths,
  describeMutant,
  generateMutants,
  judgeRun,
  keepMutants,
  loadSeedInputs,
  mutationKinds,
  runCli,
  writeMutants,
  type CliRun,
  type MutantOutcome,
} from './campaign.ts';
import type { Mutant } from './mutate.ts';

/**
 * "One bad file must never stop the service": a seeded, bounded mutation fuzz of a text PDF, a DOCX and a sample
 * zip through the real CLI. Any hang, crash, exit code other than 0/1/2, unparseable output, mutant missing from the
 * output, process left running or temporary file left behind fails the test; the failure names the seed and the
 * mutant indices and keeps the mutants in .tmp/fuzz-failures/seed-<seed>/. `npm run fuzz -- --seed N` runs a longer
 * campaign (bench/fuzz.ts); FUZZ_SEED=N runs this test with another seed.
 *
 * Why the real CLI over one folder rather than an in-process loop (intake + isolated extraction under a
 * Promise.race per mutant): one CLI process pays its start-up (tsx, checklists, OCR pool) once for all mutants and
 * runs everything a user's dossier goes through — intake of a folder with nested archives, extraction in reader
 * processes, classification, fields, rules, the report and the exit code — with the process as the unit that can
 * be killed. In-process, a Promise.race only notices a hang that yields to the event loop: a synchronous spin in
 * intake or classification would freeze the test worker itself, and a hung promise would keep running into the
 * rest of the suite. What the single folder run gives up is per-mutant attribution, so a failing run is bisected
 * with further CLI runs. A few mutants also go through the CLI alone, where a broken top-level archive is the whole
 * input (exit code 2) and `extract`'s output is checked too. bench/fuzz.ts adds the per-mutant pass, in a worker
 * process that it kills on its time limit.
 *
 * How many: the campaign is the seed's first 70 mutants of each seed input (210); the test runs the first 15 of each
 * and every later one of the 210 that brings a kind of mutation not seen yet (campaign.ts coveringMutants: an
 * operator on a format, operators inside archive entries included), 56 for the default seed. Every kind of
 * mutation the 210 exercise on every format is exercised; what the rest add is more of the same kinds, at four
 * times the cost. FUZZ_PER_INPUT=70 (or any count) runs every mutant of that many per input, as `npm run fuzz` does
 * with its own counts.
 *
 * Cost: almost all of it is extraction. The reader limits are tightened for the fuzz (campaign.ts FUZZ_CLI_ENV:
 * 20 s a file, 10 s without progress) so that a mutant that sends pdf.js into minutes of work costs seconds here;
 * such a mutant's outcome is `limit` (a finding), which is exactly what the service must do with it.
 */

const SEED = process.env.FUZZ_SEED?.trim() || '20240601';
/** Set: run every mutant of this many per input. Unset: the covering subset of the first 70 per input. */
const PER_INPUT = Number(process.env.FUZZ_PER_INPUT ?? 70);
const ALL_OF_THEM = process.env.FUZZ_PER_INPUT !== undefined;
const FIRST_PER_INPUT = 15;
/** How long the folder run may take before it counts as a hang; generous, as other work may share the machine. */
const FOLDER_LIMIT_MS = Number(process.env.FUZZ_RUN_LIMIT_S ?? 900) * 1000;
const SINGLE_LIMIT_MS = 300_000;
const BISECT_BUDGET_MS = 15 * 60_000;
const ALONE = 6;

const inputs = loadSeedInputs(defaultSeedInputPaths());
const campaign = generateMutants(SEED, inputs.length * PER_INPUT, inputs);
const mutants = ALL_OF_THEM ? campaign : coveringMutants(campaign, inputs.length * FIRST_PER_INPUT);

const checkArgs = (input: string) => ['check', input, '--city', 'municipal-template', '--stage', 'filing', '--format', 'json', '--no-cache'];

let work: string;
beforeAll(async () => {
  await mkdir(join(REPO_ROOT, '.tmp'), { recursive: true });
  work = await mkdtemp(join(REPO_ROOT, '.tmp', 'fuzz-suite-'));
});
afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

function summarize(outcomes: Map<Mutant, MutantOutcome>): string {
  const counts = new Map<string, number>();
  const details = new Map<string, number>();
  for (const o of outcomes.values()) {
    counts.set(o.outcome, (counts.get(o.outcome) ?? 0) + 1);
    for (const d of o.details) details.set(d, (details.get(d) ?? 0) + 1);
  }
  const limited = [...outcomes].filter(([, o]) => o.outcome === 'limit').map(([m, o]) => `${m.name}(${o.details.join(',')})`);
  const list = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join('，');
  return `${list(counts)}（${list(details)}）${limited.length ? `；触发读取限制：${limited.join('、')}` : ''}`;
}

async function failWith(problems: string[], culprits: Mutant[][], run: CliRun): Promise<never> {
  const kept: string[] = [];
  for (const set of culprits) kept.push(await keepMutants(set, problems.join('\n'), inputs));
  const lines = culprits.flatMap((set, i) => [
    set.length === 1 ? '引起失败的变异文件：' : `这 ${set.length} 个变异文件一起才引起失败：`,
    ...set.map((m) => `  ${describeMutant(m)}`),
    `  已保存到 ${kept[i]}`,
  ]);
  throw new Error(
    [`模糊测试失败（种子 ${SEED}；用 FUZZ_SEED=${SEED} 重现）：${problems.join('\n')}`, `运行：${run.args.join(' ')}（${Math.round(run.ms / 1000)} 秒）`, ...lines].join('\n'),
  );
}

describe(`mutation fuzz (seed ${SEED})`, () => {
  it(`the ${mutants.length} mutants go through every kind of mutation of the ${campaign.length}, on every format`, () => {
    const kinds = (list: readonly Mutant[]) => [...new Set(list.flatMap(mutationKinds))].sort();
    expect(kinds(mutants)).toEqual(kinds(campaign));
    expect(kinds(mutants).length).toBeGreaterThan(30);
  });

  it(
    `${mutants.length} mutants in one folder: dossier check ends in time with exit 0/1 and a report naming every mutant`,
    async () => {
      const dir = join(work, 'folder');
      await writeMutants(dir, mutants);
      const run = await runCli(checkArgs(dir), { timeoutMs: FOLDER_LIMIT_MS, tmpDir: join(work, 'tmp') });
      const verdict = judgeRun(run, 'check', mutants, false);
      if (verdict.outcomes) console.log(`模糊测试（种子 ${SEED}）：${mutants.length} 个变异文件，${Math.round(run.ms / 1000)} 秒，退出码 ${run.code}；${summarize(verdict.outcomes)}`);
      if (verdict.problems.length === 0) return;

      // Which mutants? Missing ones are named already; a hang, crash or bad exit code is bisected with more runs.
      const missing = verdict.outcomes ? [...verdict.outcomes].filter(([, o]) => o.outcome === 'missing').map(([m]) => m) : [];
      const culprits =
        missing.length > 0
          ? missing.map((m) => [m])
          : await bisect(
              mutants,
              async (subset) => {
                const sub = join(work, `bisect-${subset[0]!.index}-${subset.length}`);
                await writeMutants(sub, subset);
                // A part gets its share of the whole run's time limit (at least two minutes).
                const limit = Math.max(120_000, (FOLDER_LIMIT_MS * subset.length) / mutants.length);
                const r = await runCli(checkArgs(sub), { timeoutMs: limit, tmpDir: join(work, 'tmp') });
                await rm(sub, { recursive: true, force: true });
                return judgeRun(r, 'check', subset, false).problems.length > 0;
              },
              Date.now() + BISECT_BUDGET_MS,
            );
      await failWith(verdict.problems, culprits, run);
    },
    FOLDER_LIMIT_MS + BISECT_BUDGET_MS + 120_000,
  );

  it(
    `${ALONE} mutants alone: dossier extract/check exit 0, 1 or 2 and name the file, nothing left behind`,
    async () => {
      // Two of each seed input (mutant i mutates input i mod 3), alternately through extract and check.
      const alone = mutants.slice(0, ALONE);
      const dir = join(work, 'alone');
      await writeMutants(dir, alone);
      const results = await Promise.all(
        [0, 1].map(async (lane) => {
          const found: { m: Mutant; run: CliRun; problems: string[] }[] = [];
          for (let i = lane; i < alone.length; i += 2) {
            const m = alone[i]!;
            const command = i % 2 === 0 ? 'extract' : 'check';
            const args = command === 'extract' ? ['extract', join(dir, m.name), '--format', 'json'] : checkArgs(join(dir, m.name));
            const run = await runCli(args, { timeoutMs: SINGLE_LIMIT_MS, tmpDir: join(work, `tmp-alone-${lane}`) });
            const problems = judgeRun(run, command, [m], true).problems;
            if (/root:x?:0:0:/.test(run.stdout)) problems.push('输出中出现了本机 /etc/passwd 的内容（XML 外部实体被解析）');
            found.push({ m, run, problems });
          }
          return found;
        }),
      );
      const all = results.flat().sort((a, b) => a.m.index - b.m.index);
      console.log(`单独运行：${all.map(({ m, run }) => `${m.name} ${run.args[0]} → ${run.timedOut ? '超时' : run.code}（${Math.round(run.ms / 1000)} 秒）`).join('；')}`);
      const failed = all.filter((r) => r.problems.length > 0);
      if (failed.length > 0) {
        await failWith(
          failed.map((f) => `${f.m.name}：${f.problems.join('；')}`),
          failed.map((f) => [f.m]),
          failed[0]!.run,
        );
      }
      expect(all).toHaveLength(ALONE);
    },
    SINGLE_LIMIT_MS * 3 + 60_000,
  );
});
