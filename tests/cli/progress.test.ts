import { execFile } from 'node:child_process';
import { Writable } from 'node:stream';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it, vi } from 'vitest';
import { BatchProgress, Progress } from '../../cli/progress.ts';

const ROOT = join(import.meta.dirname, '..', '..');

/** Collects what a progress line writes; `isTTY` decides whether it pretends to be a terminal. */
function fakeStderr(isTTY: boolean, columns = 100): NodeJS.WriteStream & { text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      chunks.push(String(chunk));
      callback();
    },
  }) as unknown as NodeJS.WriteStream & { text: () => string };
  Object.assign(stream, { isTTY, columns, text: () => chunks.join('') });
  return stream;
}

/** What the terminal shows on the line: the text after the last carriage return or cursor move, escapes removed. */
function visibleLine(written: string): string {
  const parts = written.split(/\r|\x1b\[\d*G|\x1b\[1G/);
  return parts[parts.length - 1]!.replace(/\x1b\[[0-9;?]*[A-Za-z]|\x1b[78]/g, '');
}

describe('when stderr is not a terminal (a pipe, a file, CI)', () => {
  it('writes nothing at all', () => {
    const stderr = fakeStderr(false);
    const progress = new Progress(stderr);
    progress.update('解包：项目立项申报表.pdf');
    progress.bar(1, 3, '项目立项申报表.pdf');
    progress.done();
    const batch = new BatchProgress(stderr);
    batch.handle({ stage: 'dossier-start', name: '甲.zip', total: 2 });
    batch.handle({ stage: 'file', name: '甲.zip', done: 1, files: 4, path: 'a.pdf' });
    batch.handle({ stage: 'dossier-done', name: '甲.zip', done: 1, total: 2 });
    batch.done();
    expect(stderr.text()).toBe('');
  });
});

describe('when stderr is a terminal', () => {
  it('draws a bar with the count and the file name on one line and clears it when done', () => {
    const stderr = fakeStderr(true);
    const progress = new Progress(stderr);
    progress.bar(1, 4, '项目立项申报表.pdf');
    expect(visibleLine(stderr.text())).toBe(`[######${'.'.repeat(18)}] 1/4 项目立项申报表.pdf`);
    expect(stderr.text()).not.toContain('\n');
    // The terminal's own line wrapping is left as it is.
    expect(stderr.text()).not.toContain('\x1b[?7l');
    progress.done();
    expect(stderr.text()).toMatch(/\x1b\[2K$/);
  });

  it('keeps a long Chinese label inside the terminal width (two columns per character)', () => {
    const stderr = fakeStderr(true, 40);
    const progress = new Progress(stderr);
    progress.update(`解包：${'可行性研究报告'.repeat(10)}.pdf`);
    const line = visibleLine(stderr.text());
    expect(line.startsWith('解包：可行性')).toBe(true);
    expect(line.endsWith('…')).toBe(true);
    // 40 columns, one kept free, two for the ellipsis: at most 37 columns of text.
    expect([...line.slice(0, -1)].length * 2).toBeLessThanOrEqual(37);
    progress.done();
  });

  it('moves the batch bar with every file read and names the dossiers being checked', async () => {
    const stderr = fakeStderr(true, 200);
    const batch = new BatchProgress(stderr);
    // cli-progress redraws at most ten times a second, so each step is awaited until it shows.
    const shows = (line: string) => vi.waitFor(() => expect(visibleLine(stderr.text())).toBe(line), { timeout: 5_000, interval: 20 });
    batch.handle({ stage: 'dossier-start', name: '青禾市甲项目.zip', total: 2 });
    batch.handle({ stage: 'dossier-start', name: '青禾市乙项目.zip', total: 2 });
    await shows(`[${'.'.repeat(24)}] 0/2 正在检查：青禾市甲项目.zip（解包）、青禾市乙项目.zip（解包）`);
    batch.handle({ stage: 'file', name: '青禾市甲项目.zip', done: 2, files: 4, path: 'a.pdf' });
    // Half the files of one dossier of two: a little under a quarter of the bar (checking and writing the report remain).
    await shows(`[#####${'.'.repeat(19)}] 0/2 正在检查：青禾市甲项目.zip（文件 2/4）、青禾市乙项目.zip（解包）`);
    batch.handle({ stage: 'file', name: '青禾市甲项目.zip', done: 4, files: 4, path: 'd.pdf' });
    batch.handle({ stage: 'file', name: '青禾市乙项目.zip', done: 1, files: 1, path: 'e.pdf' });
    // Every file read, nothing finished yet: the count says so and the bar is not full.
    await shows(`[######################..] 0/2 正在检查：青禾市甲项目.zip（文件 4/4）、青禾市乙项目.zip（文件 1/1）`);
    batch.handle({ stage: 'dossier-done', name: '青禾市甲项目.zip', done: 1, total: 2 });
    await shows(`[#######################.] 1/2 正在检查：青禾市乙项目.zip（文件 1/1）`);
    batch.done();
  });

  it('does not keep the process alive when an error leaves the bar running', async () => {
    const script = [
      "import { Writable } from 'node:stream';",
      "import { Progress } from './cli/progress.ts';",
      'const tty = Object.assign(new Writable({ write: (_c, _e, cb) => cb() }), { isTTY: true, columns: 80 });',
      "new Progress(tty).bar(1, 3, '甲.zip');",
      "console.log('left running');",
    ].join('\n');
    // execFile's timeout kills a process the running bar kept alive, which rejects: that is the failure.
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '--eval', script], { cwd: ROOT, timeout: 60_000 });
    expect(stdout).toContain('left running');
  });
});
