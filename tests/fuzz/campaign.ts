import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, readdir, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, extname, join, resolve } from 'node:path';
import { REPO_ROOT, sharedPath } from '../helpers/shared-data.ts';
import { makeMutant, seedKindOf, type Mutant, type SeedInput } from './mutate.ts';

/**
 * What the fuzz test (tests/fuzz/mutation-fuzz.test.ts) and the long campaign (bench/fuzz.ts) share: the seed
 * inputs, writing mutants, running the real CLI with a time limit and its whole process group killed after, reading
 * its output back per mutant, bisecting a failing run down to the mutants that cause it, and keeping those.
 */

export { REPO_ROOT };
export const BIN = join(REPO_ROOT, 'bin', 'dossier.mjs');
/** Failing mutants are copied here (gitignored), one folder per seed. */
export const KEPT_DIR = join(REPO_ROOT, '.tmp', 'fuzz-failures');

/**
 * Default seed inputs: small text documents (no page needs OCR unless a mutation breaks its text layer) and the
 * smallest sample archive (four text documents, GBK names, nested DOCX).
 */
export function defaultSeedInputPaths(): string[] {
  return [
    join(REPO_ROOT, 'examples', 'changde-acceptance', '01-关于申请竣工验收的请示.pdf'),
    join(REPO_ROOT, 'examples', 'changde-acceptance', '04-项目实施方案.docx'),
    sharedPath('samples', 'dossiers', 'sample-05-mt-filing', 'dossier.zip'),
  ];
}

export function loadSeedInputs(paths: readonly string[]): SeedInput[] {
  return paths.map((path) => {
    const full = resolve(path);
    if (!existsSync(full)) throw new Error(`缺少模糊测试种子文件：${full}`);
    const bytes = readFileSync(full);
    if (bytes.length === 0) throw new Error(`模糊测试种子文件为空：${full}`);
    const ext = extname(full).toLowerCase() || '.bin';
    return { path: full, label: basename(full), kind: seedKindOf(bytes, full), ext, bytes };
  });
}

/** Mutants `start` .. `start + count - 1`; mutant i mutates input i mod (number of inputs). */
export function generateMutants(seed: string, count: number, inputs: readonly SeedInput[], start = 0): Mutant[] {
  return Array.from({ length: count }, (_, k) => makeMutant(seed, start + k, inputs[(start + k) % inputs.length]!));
}

export function remakeMutants(seed: string, indices: readonly number[], inputs: readonly SeedInput[]): Mutant[] {
  return indices.map((i) => makeMutant(seed, i, inputs[i % inputs.length]!));
}

export async function writeMutants(dir: string, mutants: readonly Mutant[]): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const m of mutants) await writeFile(join(dir, m.name), m.bytes);
}

/**
 * The kinds of mutation a mutant went through, each with the format it was applied to: `pdf:pdf-number`,
 * `docx:entry{xml nesting}` (an operator inside an archive entry), `zip:zip-name`. Read from the operators' labels.
 */
export function mutationKinds(m: Mutant): string[] {
  return m.ops.map((label) => `${m.input.kind}:${operatorOf(label)}`);
}

function operatorOf(label: string): string {
  const inner = /^entry#\d+\{(.*)\}$/s.exec(label)?.[1];
  if (inner !== undefined) return `entry{${inner.startsWith('xml ') ? `xml ${/^[a-z-]+/.exec(inner.slice(4))?.[0] ?? '?'}` : operatorOf(inner)}}`;
  if (/^zip \S+-name /.test(label)) return 'zip-name';
  if (label.startsWith('zip ')) return 'zip-field';
  if (label.startsWith('entries ')) return 'entries';
  return /^[a-z-]+/.exec(label)?.[0] ?? label;
}

/**
 * The first `first` mutants of a campaign, then each later one that brings a kind of mutation (mutationKinds) not
 * seen yet: every kind the whole campaign exercises on every seed input, in fewer runs. The mutants keep their
 * indices, so a failure still names the seed and index that remake it.
 */
export function coveringMutants(campaign: readonly Mutant[], first: number): Mutant[] {
  const seen = new Set<string>();
  const chosen: Mutant[] = [];
  campaign.forEach((m, i) => {
    const kinds = mutationKinds(m);
    if (i >= first && kinds.every((k) => seen.has(k))) return;
    chosen.push(m);
    for (const k of kinds) seen.add(k);
  });
  return chosen;
}

/** How to name a mutant in a failure message: enough to remake it. */
export function describeMutant(m: Mutant): string {
  return `seed=${m.seed} index=${m.index} (${m.name}, from ${m.input.label}: ${m.ops.join(' ; ')})`;
}

// ---------------------------------------------------------------------------------------------------------------
// Running the CLI

export interface CliRun {
  args: string[];
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  ms: number;
  stdout: string;
  stderr: string;
  /** Processes of the CLI's process group still alive after it exited (reader children that outlived it). */
  survivors: number[];
  /** Entries left in the private TMPDIR the CLI ran with. */
  leftovers: string[];
}

/** Environment for every CLI run of the fuzz: extraction limits well below the fuzz's own time limits. */
export const FUZZ_CLI_ENV: Record<string, string> = {
  DOSSIER_EXTRACT_FILE_TIMEOUT_S: '60',
  DOSSIER_EXTRACT_STALL_TIMEOUT_S: '30',
};

/** Process ids whose process group is `pgid` (Linux /proc; elsewhere an empty list). */
export function processGroupMembers(pgid: number): number[] {
  if (!existsSync('/proc')) return [];
  const members: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'latin1');
      // pid (comm) state ppid pgrp …; comm may contain spaces and parentheses.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === pgid && fields[0] !== 'Z') members.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return members;
}

/**
 * tsx keeps its compile cache in $TMPDIR/tsx-<uid>. The CLI runs with a private TMPDIR (so that its leftovers can be
 * seen), and without the machine's cache each run would compile the whole project again: link it in.
 */
export async function shareTsxCache(privateTmp: string): Promise<void> {
  const name = `tsx-${process.geteuid?.() ?? 'user'}`;
  const shared = join(tmpdir(), name);
  if (resolve(privateTmp) === resolve(tmpdir()) || existsSync(join(privateTmp, name))) return;
  await mkdir(shared, { recursive: true }).catch(() => undefined);
  await symlink(shared, join(privateTmp, name)).catch(() => undefined);
}

function killGroup(pgid: number): void {
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/**
 * Runs `node bin/dossier.mjs <args>` in its own process group with its own TMPDIR. On the time limit the whole group
 * (the CLI, its reader children) is killed. After a normal exit, group members that are still alive a moment later
 * are reported as survivors and killed.
 */
export async function runCli(args: string[], options: { timeoutMs: number; tmpDir: string; env?: Record<string, string> }): Promise<CliRun> {
  await mkdir(options.tmpDir, { recursive: true });
  await shareTsxCache(options.tmpDir);
  const started = performance.now();
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: REPO_ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      ...FUZZ_CLI_ENV,
      TMPDIR: options.tmpDir,
      DATA_DIR: join(options.tmpDir, 'data'),
      ...options.env,
    },
  });
  const pgid = child.pid!;
  const out: Buffer[] = [];
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    err = (err + chunk).slice(-16_384);
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup(pgid);
  }, options.timeoutMs);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((done) =>
    child.once('close', (c, s) => done([c, s])),
  );
  clearTimeout(timer);
  const ms = performance.now() - started;

  let survivors: number[] = [];
  if (!timedOut) {
    // Readers exit when their parent's channel closes; give them a moment before calling them survivors.
    for (let waited = 0; waited < 3_000; waited += 100) {
      survivors = processGroupMembers(pgid);
      if (survivors.length === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  killGroup(pgid);
  const leftovers = (await readdir(options.tmpDir).catch(() => [] as string[])).filter((n) => n !== 'data' && !n.startsWith('tsx-'));
  return { args, code, signal, timedOut, ms, stdout: Buffer.concat(out).toString('utf8'), stderr: err, survivors, leftovers };
}

// ---------------------------------------------------------------------------------------------------------------
// Reading the output back per mutant

/** What happened to one mutant, in the order of precedence used to name it. */
export type Outcome =
  /** A reader limit gave the file up (timeout, stall, stuck, memory, crashed reader): handled, but worth a look. */
  | 'limit'
  /** At least one file of the mutant was read (status ok). */
  | 'ok'
  /** Listed as a file, but not readable (empty, unreadable, encrypted, unsupported). */
  | 'unreadable'
  /** Only intake findings or skipped entries name it (corrupt archive, refused entries, traversal…). */
  | 'finding'
  /** Not reached: an earlier file stopped intake (a global limit), and a finding says so. */
  | 'not-reached'
  /** Nothing in the output names it: silently lost. A failure. */
  | 'missing';

export interface MutantOutcome {
  outcome: Outcome;
  /** Statuses of its files and codes of its findings, e.g. ["status:ok", "INTAKE_CORRUPT_ENTRY"]. */
  details: string[];
}

interface Listing {
  files: { path: string; status: string; codes: string[] }[];
  findings: { code: string; path?: string }[];
  skipped: string[];
}

const LIMIT_CODES = new Set(['extract-timeout', 'extract-stalled', 'extract-stuck', 'extract-memory', 'extract-crashed']);
/** Intake findings after which nothing further is unpacked. */
const STOPPING_CODES = new Set(['INTAKE_TOO_LARGE', 'INTAKE_TOO_MANY_ENTRIES']);

interface ExtractJson {
  files: { file: { path: string }; doc: { status: string; findings: { code: string }[] } }[];
  skipped: string[];
  findings: { code: string; path?: string }[];
}

interface CheckJson {
  files: { path: string; status: string; findings: { code: string }[] }[];
  skipped: string[];
  findings: { ruleId: string; kind?: string; evidence: { path?: string }[] }[];
}

/** Parses `extract --format json` or `check --format json` output; throws on anything else. */
export function parseListing(command: 'extract' | 'check', stdout: string): Listing {
  const json = JSON.parse(stdout) as unknown;
  if (command === 'extract') {
    const r = json as ExtractJson;
    if (!Array.isArray(r.files) || !Array.isArray(r.skipped) || !Array.isArray(r.findings)) throw new Error('extract 输出缺少 files/skipped/findings');
    return {
      files: r.files.map((f) => ({ path: f.file.path, status: f.doc.status, codes: f.doc.findings.map((x) => x.code) })),
      findings: r.findings.map((f) => ({ code: f.code, path: f.path })),
      skipped: r.skipped,
    };
  }
  const r = json as CheckJson;
  if (!Array.isArray(r.files) || !Array.isArray(r.skipped) || !Array.isArray(r.findings)) throw new Error('check 输出缺少 files/skipped/findings');
  return {
    files: r.files.map((f) => ({ path: f.path, status: f.status, codes: (f.findings ?? []).map((x) => x.code) })),
    findings: r.findings.flatMap((f) =>
      f.evidence.length === 0 ? [{ code: f.ruleId }] : f.evidence.map((e) => ({ code: f.ruleId, path: e.path })),
    ),
    skipped: r.skipped,
  };
}

/**
 * Says what became of each mutant. Paths in the output are relative to the input: a mutant of a folder run is
 * `m0001-pdf.pdf` or, unpacked, `m0002-zip.zip/…`; a single-file run names the file itself (prefix '').
 */
export function outcomesOf(listing: Listing, mutants: readonly Mutant[], prefixOf: (m: Mutant) => string = (m) => m.name): Map<Mutant, MutantOutcome> {
  const belongs = (m: Mutant, path: string | undefined) => {
    if (path === undefined) return false;
    const p = prefixOf(m);
    return p === '' || path === p || path.startsWith(`${p}/`);
  };
  const stopper = listing.findings.find((f) => STOPPING_CODES.has(f.code));
  const result = new Map<Mutant, MutantOutcome>();
  for (const m of mutants) {
    const files = listing.files.filter((f) => belongs(m, f.path));
    const findings = listing.findings.filter((f) => belongs(m, f.path));
    const skipped = listing.skipped.filter((s) => belongs(m, s));
    const details = [
      ...new Set([
        ...files.map((f) => `status:${f.status}`),
        ...files.flatMap((f) => f.codes.filter((c) => LIMIT_CODES.has(c))),
        ...findings.map((f) => f.code).filter((c) => c.startsWith('INTAKE_')),
        ...(skipped.length > 0 ? ['skipped'] : []),
      ]),
    ].sort();
    let outcome: Outcome;
    if (files.some((f) => f.codes.some((c) => LIMIT_CODES.has(c)))) outcome = 'limit';
    else if (files.some((f) => f.status === 'ok')) outcome = 'ok';
    else if (files.length > 0) outcome = 'unreadable';
    else if (findings.length > 0 || skipped.length > 0) outcome = 'finding';
    else if (stopper && (stopper.path === undefined || m.name > stopper.path)) outcome = 'not-reached';
    else outcome = 'missing';
    result.set(m, { outcome, details });
  }
  return result;
}

// ---------------------------------------------------------------------------------------------------------------
// Judging a run

export interface RunVerdict {
  /** Empty when the run is acceptable. */
  problems: string[];
  outcomes?: Map<Mutant, MutantOutcome>;
}

export function describeRun(run: CliRun): string {
  const how = run.timedOut ? `超时（${Math.round(run.ms / 1000)} 秒后被终止）` : run.signal ? `被信号 ${run.signal} 终止` : `退出码 ${run.code}`;
  return `dossier ${run.args.join(' ')} → ${how}`;
}

/**
 * A folder run (or a single-file run) is acceptable when it ended by itself in time with exit code 0, 1 or 2, left
 * no process and no temporary file behind, and — when it printed a report — that report names every mutant. A folder
 * run must print one (exit 2 without a 无法检查 report means one file stopped the whole dossier). A single-file run may
 * exit 2 with a Chinese message and no report (an archive too broken to open is the whole input).
 */
export function judgeRun(run: CliRun, command: 'extract' | 'check', mutants: readonly Mutant[], single: boolean): RunVerdict {
  const problems: string[] = [];
  if (run.timedOut) problems.push(`挂起：${describeRun(run)}`);
  else if (run.code === null || ![0, 1, 2].includes(run.code)) problems.push(`异常退出：${describeRun(run)}；stderr 末尾：${run.stderr.slice(-800)}`);
  if (run.survivors.length > 0) problems.push(`CLI 退出后仍有子进程存活：${run.survivors.join(', ')}`);
  if (!run.timedOut && run.leftovers.length > 0) problems.push(`临时目录有残留：${run.leftovers.join(', ')}`);
  if (run.timedOut || run.code === null || ![0, 1, 2].includes(run.code)) return { problems };

  // Exit 2 with a report whose verdict is 无法检查 is an answer about the dossier (nothing in it could be read): the
  // report must still name every mutant, and stderr must say 无法检查.
  const uncheckableReport = run.code === 2 && command === 'check' && /"outcome":\s*"uncheckable"/.test(run.stdout);
  if (run.code === 2 && uncheckableReport && !/无法检查/.test(run.stderr)) problems.push(`退出码 2（无法检查）但 stderr 没有说明：${run.stderr.slice(-800)}`);
  if (run.code === 2 && !uncheckableReport) {
    if (!single) problems.push(`整个材料包失败（退出码 2）：${run.stderr.slice(-800)}`);
    else if (!/错误|无法检查/.test(run.stderr)) problems.push(`退出码 2 但没有中文错误信息：${run.stderr.slice(-800)}`);
    else if (/\n\s+at /.test(run.stderr)) problems.push(`退出码 2 且输出了堆栈：${run.stderr.slice(-800)}`);
    return { problems };
  }
  if (command === 'extract' && run.code !== 0) problems.push(`extract 应以 0 退出：${describeRun(run)}`);
  let listing: Listing;
  try {
    listing = parseListing(command, run.stdout);
  } catch (error) {
    problems.push(`输出不是可解析的报告（${(error as Error).message}）：${run.stdout.slice(0, 300)}`);
    return { problems };
  }
  const outcomes = outcomesOf(listing, mutants, single ? () => '' : undefined);
  if (single && listing.files.length + listing.findings.length + listing.skipped.length === 0) {
    problems.push('输出中没有这个文件（既不是文件，也没有发现或跳过记录）');
  }
  const missing = mutants.filter((m) => outcomes.get(m)?.outcome === 'missing');
  if (!single && missing.length > 0) {
    problems.push(`输出中找不到 ${missing.length} 个变异文件（静默丢失）：\n${missing.map((m) => `  ${describeMutant(m)}`).join('\n')}`);
  }
  return { problems, outcomes };
}

// ---------------------------------------------------------------------------------------------------------------
// Bisection and keeping

/**
 * Narrows a failing set of mutants down by halves. `fails` runs a subset and says whether it fails. Stops at single
 * mutants, at a set neither half of which fails alone (an interaction: that set is returned), or at the deadline
 * (the smallest failing sets found so far are returned).
 */
export async function bisect(mutants: readonly Mutant[], fails: (subset: readonly Mutant[]) => Promise<boolean>, deadline: number): Promise<Mutant[][]> {
  const culprits: Mutant[][] = [];
  const queue: Mutant[][] = [mutants.slice()];
  while (queue.length > 0) {
    const set = queue.shift()!;
    if (set.length === 1 || Date.now() > deadline) {
      culprits.push(set);
      continue;
    }
    const half = Math.ceil(set.length / 2);
    const parts = [set.slice(0, half), set.slice(half)];
    const failing: Mutant[][] = [];
    for (const part of parts) {
      if (Date.now() > deadline) break;
      if (await fails(part)) failing.push(part);
    }
    if (failing.length === 0) culprits.push(set);
    else queue.push(...failing);
  }
  return culprits;
}

/** Copies failing mutants to KEPT_DIR/<seed>/ with a note saying how to remake them; returns the folder. */
export async function keepMutants(mutants: readonly Mutant[], reason: string, inputs: readonly SeedInput[]): Promise<string> {
  if (mutants.length === 0) return '';
  const seed = mutants[0]!.seed.replace(/[^\w.-]/g, '_');
  const dir = join(KEPT_DIR, `seed-${seed}`);
  await mkdir(dir, { recursive: true });
  for (const m of mutants) await writeFile(join(dir, m.name), m.bytes);
  const note = {
    reason,
    mutants: mutants.map((m) => ({ seed: m.seed, index: m.index, name: m.name, input: m.input.path, ops: m.ops })),
    inputs: inputs.map((i) => i.path),
    remake: `npm run fuzz -- --seed ${JSON.stringify(mutants[0]!.seed)} --only ${mutants.map((m) => m.index).join(',')} --input ${inputs.map((i) => JSON.stringify(i.path)).join(' ')}`,
  };
  await writeFile(join(dir, `failure-${Date.now()}.json`), `${JSON.stringify(note, null, 2)}\n`);
  return dir;
}
