import { fork, type ChildProcess } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  FUZZ_CLI_ENV,
  REPO_ROOT,
  bisect,
  defaultSeedInputPaths,
  describeMutant,
  generateMutants,
  judgeRun,
  keepMutants,
  loadSeedInputs,
  outcomesOf,
  processGroupMembers,
  remakeMutants,
  runCli,
  shareTsxCache,
  writeMutants,
  type Outcome,
} from '../tests/fuzz/campaign.ts';
import type { Mutant, SeedInput } from '../tests/fuzz/mutate.ts';
import type { WorkerReply, WorkerRequest } from '../tests/fuzz/worker.ts';

/**
 * `npm run fuzz -- --seed 12345 [--count 1000] [--input file ...] [--only 3,17] [--batch 100] [--timeout 180]`
 *
 * A longer mutation-fuzz campaign than the one in the suite (tests/fuzz/mutation-fuzz.test.ts). Two passes over
 * every batch of mutants:
 *  1. each mutant alone through intake and the isolated extraction, in a worker process whose answer must come
 *     within --timeout seconds (else the worker's whole process group is killed and the mutant is a hang), which
 *     gives each mutant its own outcome and time;
 *  2. the whole batch as one folder through the real CLI (`dossier check … --format json`), which must exit 0, 1 or
 *     2, print a report naming every mutant and leave no process or temporary file behind; a failing batch is
 *     bisected down to the mutants that make it fail.
 * Prints progress in Chinese and a summary; writes .tmp/fuzz-<seed>.json; exits 1 on any hang, crash, bad exit code
 * or lost mutant. Failing mutants are kept in .tmp/fuzz-failures/seed-<seed>/ with the command that remakes them.
 */

const { values } = parseArgs({
  options: {
    seed: { type: 'string' },
    count: { type: 'string', default: '1000' },
    start: { type: 'string', default: '0' },
    input: { type: 'string', multiple: true },
    only: { type: 'string' },
    batch: { type: 'string', default: '100' },
    timeout: { type: 'string', default: '180' },
    'no-cli': { type: 'boolean', default: false },
  },
  allowPositionals: true,
  strict: false,
});

// `--input a.pdf b.docx` and `--input a.pdf --input b.docx` both work: parseArgs leaves the extra paths positional.
const positionals = process.argv.slice(2).reduce<{ inInput: boolean; paths: string[] }>(
  (acc, arg) => {
    if (arg === '--input') return { inInput: true, paths: acc.paths };
    if (arg.startsWith('--')) return { inInput: false, paths: acc.paths };
    if (acc.inInput) acc.paths.push(arg);
    return acc;
  },
  { inInput: false, paths: [] },
).paths;

function positiveInt(name: string, raw: unknown, min = 1): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) {
    console.error(`参数 --${name} 应为不小于 ${min} 的整数，实际为“${String(raw)}”`);
    process.exit(2);
  }
  return n;
}

const seed = typeof values.seed === 'string' && values.seed !== '' ? values.seed : String(Date.now() % 1_000_000_000);
const count = positiveInt('count', values.count);
const start = positiveInt('start', values.start, 0);
const batchSize = positiveInt('batch', values.batch);
const timeoutMs = positiveInt('timeout', values.timeout) * 1000;
const runCliPass = !values['no-cli'];
const only =
  typeof values.only === 'string'
    ? values.only.split(',').map((s) => positiveInt('only', s.trim(), 0))
    : undefined;
const inputPaths = positionals.length > 0 ? positionals : defaultSeedInputPaths();

let inputs: SeedInput[];
try {
  inputs = loadSeedInputs(inputPaths);
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}
const indices = only ?? Array.from({ length: count }, (_, k) => start + k);

const OUTCOME_NAMES: Record<Outcome | 'hang' | 'crash' | 'error' | 'leak', string> = {
  ok: '正常读取',
  unreadable: '无法读取（已列出）',
  finding: '仅有发现（已拒绝/跳过）',
  limit: '触发读取限制',
  'not-reached': '未处理（前面的文件触发全局上限）',
  missing: '静默丢失',
  hang: '挂起',
  crash: '读取进程崩溃',
  error: '异常未被处理',
  leak: '读出了本机文件（XXE）',
};
const FAILING = new Set(['missing', 'hang', 'crash', 'error', 'leak']);

interface Record_ {
  index: number;
  name: string;
  input: string;
  ops: string[];
  size: number;
  outcome: keyof typeof OUTCOME_NAMES;
  details: string[];
  ms: number;
  ocrPages: number;
  note?: string;
}

const work = join(REPO_ROOT, '.tmp', `fuzz-${seed.replace(/[^\w.-]/g, '_')}`);
const tmpDir = join(work, 'tmp');
await rm(work, { recursive: true, force: true });
await mkdir(tmpDir, { recursive: true });
await shareTsxCache(tmpDir);

const log = (line: string) => console.log(line);
log(`== 变异模糊测试：种子 ${seed}，${indices.length} 个变异文件，每批 ${batchSize} 个，单个时限 ${timeoutMs / 1000} 秒`);
log(`   种子文件：${inputs.map((i) => `${i.label}（${i.kind}，${i.bytes.length} 字节）`).join('、')}`);

// ---------------------------------------------------------------------------------------------------------------
// The per-mutant worker

interface Worker {
  child: ChildProcess;
  stderr: string;
  ready: Promise<void>;
}

function startWorker(): Worker {
  const child = fork(join(REPO_ROOT, 'tests', 'fuzz', 'worker.ts'), [], {
    execArgv: ['--import', 'tsx'],
    cwd: REPO_ROOT,
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    env: { ...process.env, ...FUZZ_CLI_ENV, TMPDIR: tmpDir },
  });
  const worker: Worker = { child, stderr: '', ready: Promise.resolve() };
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    worker.stderr = (worker.stderr + chunk).slice(-8192);
  });
  worker.ready = new Promise((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`模糊测试工作进程启动失败（退出码 ${code}）：${worker.stderr.slice(-500)}`)));
  });
  return worker;
}

function stopWorker(worker: Worker): void {
  const pgid = worker.child.pid;
  if (pgid === undefined) return;
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    // gone
  }
}

let worker = startWorker();

type Answer = { kind: 'reply'; reply: Extract<WorkerReply, { type: 'result' }> } | { kind: 'hang' } | { kind: 'exit'; code: number | null; signal: string | null };

async function readAlone(m: Mutant, path: string): Promise<Answer> {
  await worker.ready;
  const child = worker.child;
  return new Promise<Answer>((resolve) => {
    const done = (answer: Answer) => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(answer);
    };
    const onMessage = (message: WorkerReply) => {
      if (message.type === 'result' && message.index === m.index) done({ kind: 'reply', reply: message });
    };
    const onExit = (code: number | null, signal: string | null) => done({ kind: 'exit', code, signal });
    const timer = setTimeout(() => done({ kind: 'hang' }), timeoutMs);
    child.on('message', onMessage);
    child.once('exit', onExit);
    child.send({ type: 'extract', index: m.index, path } satisfies WorkerRequest);
  });
}

function recordOf(m: Mutant, answer: Answer): Record_ {
  const base = { index: m.index, name: m.name, input: m.input.label, ops: m.ops, size: m.bytes.length, ocrPages: 0 };
  if (answer.kind === 'hang') return { ...base, outcome: 'hang', details: [], ms: timeoutMs, note: `${timeoutMs / 1000} 秒内无结果` };
  if (answer.kind === 'exit') {
    return { ...base, outcome: 'crash', details: [], ms: 0, note: `工作进程退出（${answer.code ?? answer.signal}）：${worker.stderr.slice(-600)}` };
  }
  const r = answer.reply;
  const ocrPages = r.files.reduce((sum, f) => sum + f.ocrPages, 0);
  if (r.error) return { ...base, outcome: 'error', details: [], ms: r.ms, ocrPages, note: r.error.slice(0, 1500) };
  if (r.leak) return { ...base, outcome: 'leak', details: [], ms: r.ms, ocrPages };
  if (r.intakeError) return { ...base, outcome: 'finding', details: [r.intakeError], ms: r.ms, ocrPages };
  const o = outcomesOf({ files: r.files, findings: r.findings, skipped: r.skipped }, [m], () => '').get(m)!;
  const empty = r.files.length + r.findings.length + r.skipped.length === 0;
  return { ...base, outcome: empty ? 'missing' : o.outcome, details: o.details, ms: r.ms, ocrPages };
}

// ---------------------------------------------------------------------------------------------------------------
// The campaign

const records: Record_[] = [];
const cliRuns: { batch: number; first: number; last: number; ms: number; code: number | null; problems: string[] }[] = [];
const failures: { what: string; mutants: string[]; kept?: string }[] = [];
const started = performance.now();

const checkArgs = (dir: string) => ['check', dir, '--city', 'municipal-template', '--stage', 'filing', '--format', 'json', '--no-cache'];

for (let b = 0; b * batchSize < indices.length; b++) {
  const batchIndices = indices.slice(b * batchSize, (b + 1) * batchSize);
  const mutants = only ? remakeMutants(seed, batchIndices, inputs) : generateMutants(seed, batchIndices.length, inputs, batchIndices[0]!);
  const dir = join(work, `batch-${b}`);
  await writeMutants(dir, mutants);

  for (const m of mutants) {
    const answer = await readAlone(m, join(dir, m.name));
    const record = recordOf(m, answer);
    records.push(record);
    if (answer.kind !== 'reply') {
      stopWorker(worker);
      worker = startWorker();
    }
    const n = records.length;
    if (FAILING.has(record.outcome)) {
      const kept = await keepMutants([m], `${OUTCOME_NAMES[record.outcome]}：${record.note ?? ''}`, inputs);
      failures.push({ what: `${OUTCOME_NAMES[record.outcome]}${record.note ? `：${record.note.split('\n')[0]}` : ''}`, mutants: [describeMutant(m)], kept });
      log(`  ✗ [${n}/${indices.length}] ${describeMutant(m)} → ${OUTCOME_NAMES[record.outcome]}${record.note ? `（${record.note.split('\n')[0]}）` : ''}；已保存到 ${kept}`);
    } else if (record.outcome === 'limit') {
      log(`  ! [${n}/${indices.length}] ${m.name} → ${OUTCOME_NAMES.limit}（${record.details.join('、')}），${(record.ms / 1000).toFixed(1)} 秒：${m.ops.join(' ; ')}`);
    } else if (n % 10 === 0 || n === indices.length) {
      const elapsed = (performance.now() - started) / 1000;
      log(`  [${n}/${indices.length}] 已用 ${elapsed.toFixed(0)} 秒，${failures.length} 个失败`);
    }
  }

  if (runCliPass) {
    log(`  第 ${b + 1} 批（${mutants[0]!.name} … ${mutants.at(-1)!.name}）整体交给 CLI 检查…`);
    const limit = Math.max(300_000, mutants.length * 10_000);
    const run = await runCli(checkArgs(dir), { timeoutMs: limit, tmpDir });
    const verdict = judgeRun(run, 'check', mutants, false);
    cliRuns.push({ batch: b, first: mutants[0]!.index, last: mutants.at(-1)!.index, ms: run.ms, code: run.code, problems: verdict.problems });
    if (verdict.problems.length === 0) {
      log(`    CLI 退出码 ${run.code}，${(run.ms / 1000).toFixed(1)} 秒，报告列出了全部 ${mutants.length} 个变异文件`);
    } else {
      log(`    ✗ CLI 批次失败：${verdict.problems.join('；').slice(0, 600)}`);
      log('    二分查找引起失败的变异文件…');
      const culprits = await bisect(
        mutants,
        async (subset) => {
          const sub = join(work, `bisect-${b}-${subset[0]!.index}-${subset.length}`);
          await writeMutants(sub, subset);
          const r = await runCli(checkArgs(sub), { timeoutMs: limit, tmpDir });
          const failed = judgeRun(r, 'check', subset, false).problems.length > 0;
          await rm(sub, { recursive: true, force: true });
          return failed;
        },
        Date.now() + 20 * 60_000,
      );
      for (const set of culprits) {
        const kept = await keepMutants(set, verdict.problems.join('\n'), inputs);
        failures.push({ what: `CLI 批次失败：${verdict.problems[0]!.split('\n')[0]}`, mutants: set.map(describeMutant), kept });
        log(`    ✗ 引起失败的变异文件（${set.length} 个）：${set.map((m) => `index=${m.index}`).join('、')}；已保存到 ${kept}`);
      }
    }
  }
  await rm(dir, { recursive: true, force: true });
}

stopWorker(worker);
const leftoverProcesses = worker.child.pid === undefined ? [] : processGroupMembers(worker.child.pid);

// ---------------------------------------------------------------------------------------------------------------
// Summary

const byOutcome = new Map<string, number>();
const byDetail = new Map<string, number>();
for (const r of records) {
  byOutcome.set(r.outcome, (byOutcome.get(r.outcome) ?? 0) + 1);
  for (const d of r.details) byDetail.set(d, (byDetail.get(d) ?? 0) + 1);
}
const slowest = records.slice().sort((a, b) => b.ms - a.ms).slice(0, 10);
const totalS = (performance.now() - started) / 1000;

log('');
log(`== 汇总（种子 ${seed}，共 ${records.length} 个变异文件，用时 ${totalS.toFixed(0)} 秒）`);
for (const [outcome, n] of [...byOutcome].sort((a, b) => b[1] - a[1])) {
  log(`  ${OUTCOME_NAMES[outcome as keyof typeof OUTCOME_NAMES] ?? outcome}：${n}`);
}
log(`  明细：${[...byDetail].sort((a, b) => b[1] - a[1]).map(([d, n]) => `${d} ${n}`).join('，')}`);
log(`  OCR 页数合计：${records.reduce((s, r) => s + r.ocrPages, 0)}`);
log('  最慢的变异文件：');
for (const r of slowest) log(`    ${(r.ms / 1000).toFixed(1)} 秒  index=${r.index} ${r.name}（${r.outcome}，OCR ${r.ocrPages} 页）：${r.ops.join(' ; ')}`);
if (runCliPass) log(`  CLI 批次：${cliRuns.length} 次，失败 ${cliRuns.filter((c) => c.problems.length > 0).length} 次`);
if (failures.length === 0) log('  没有挂起、崩溃、异常退出码或丢失的文件');
else {
  log(`  ✗ 失败 ${failures.length} 项：`);
  for (const f of failures) log(`    ${f.what}\n      ${f.mutants.join('\n      ')}${f.kept ? `\n      已保存到 ${f.kept}` : ''}`);
}

const out = join(REPO_ROOT, '.tmp', `fuzz-${seed.replace(/[^\w.-]/g, '_')}.json`);
await writeFile(
  out,
  `${JSON.stringify(
    {
      seed,
      inputs: inputs.map((i) => ({ path: i.path, kind: i.kind, bytes: i.bytes.length })),
      indices: only ? only : { start, count },
      timeoutS: timeoutMs / 1000,
      batch: batchSize,
      seconds: Math.round(totalS),
      outcomes: Object.fromEntries(byOutcome),
      details: Object.fromEntries(byDetail),
      slowest,
      cliRuns,
      failures,
      leftoverProcesses,
      mutants: records,
    },
    null,
    2,
  )}\n`,
);
log(`结果已写入 ${out}`);
await rm(work, { recursive: true, force: true });
process.exit(failures.length > 0 ? 1 : 0);
