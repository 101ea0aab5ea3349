/**
 * What the PDF and archive benches measure besides wall time, on a machine shared with other work: CPU seconds (which
 * load hardly changes), the resident memory of a whole process tree (a run, its reader children, OCR threads), and
 * a peer command (poppler's tools) timed the same way, so that ours and the peer's figures come from the same minute.
 */
import { execFile } from 'node:child_process';
import { loadavg } from 'node:os';
import { promisify } from 'node:util';

export { treeRssMb } from '../tests/helpers/process-memory.ts';

const run = promisify(execFile);

export interface Timing {
  wallMs: number;
  /** User + system CPU of the measured work (ours: this process and its threads; a peer: its process). */
  cpuMs: number;
}

/** Median of each field over runs. */
export function medianTiming(timings: readonly Timing[]): Timing {
  return { wallMs: median(timings.map((t) => t.wallMs)), cpuMs: median(timings.map((t) => t.cpuMs)) };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Wall and CPU time of work done in this process (libvips and other native threads included). */
export async function timeHere(work: () => Promise<unknown>): Promise<Timing> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  await work();
  const wallMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { wallMs, cpuMs: (used.user + used.system) / 1000 };
}

/**
 * Wall and CPU time of a command, start-up included. bash's `times` reports its children's CPU: Node's child_process
 * gives no rusage of a child.
 */
export async function timeCommand(command: string, args: readonly string[]): Promise<Timing> {
  const start = performance.now();
  const { stdout } = await run('bash', ['-c', '"$@" > /dev/null 2>&1 || exit 97; times', 'peer', command, ...args], { maxBuffer: 1024 * 1024 });
  const wallMs = performance.now() - start;
  // Second line: the children's user and system time, e.g. "0m0.120s 0m0.016s".
  const line = stdout.trim().split('\n')[1] ?? '';
  const cpuMs = [...line.matchAll(/(\d+)m([\d.]+)s/g)].reduce((sum, m) => sum + (Number(m[1]) * 60 + Number(m[2])) * 1000, 0);
  return { wallMs, cpuMs };
}

/** The first line of a peer's version, or null when it is not installed. */
export async function peerVersion(command: string): Promise<string | null> {
  try {
    const { stderr, stdout } = await run(command, ['-v']);
    return (stderr || stdout).split('\n')[0]?.trim() || command;
  } catch {
    return null;
  }
}

/** The 1-, 5- and 15-minute load averages, rounded, to print beside every figure. */
export function load(): [number, number, number] {
  const [a, b, c] = loadavg().map((l) => Math.round(l * 10) / 10);
  return [a!, b!, c!];
}

export function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
