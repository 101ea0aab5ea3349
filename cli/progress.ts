import cliProgress from 'cli-progress';
import stringWidth from 'string-width';
import type { BatchProgressEvent } from '../pipeline/index.ts';

/** What one drawn line says: a bare status text, or a bar with counts and a label. */
interface Line {
  text: string;
  /** Shown as `[####....] done/total` before the text. */
  counts?: { done: number; total: number };
}

/**
 * cli-progress re-arms a redraw timer after every render. Unref'd, a bar that an error left running cannot keep the
 * process alive after the command has finished.
 */
class BackgroundBar extends cliProgress.SingleBar {
  override render(): void {
    super.render();
    (this as unknown as { timer?: NodeJS.Timeout | null }).timer?.unref();
  }
}

/**
 * One line of progress on stderr (cli-progress), drawn only when stderr is a terminal: pipes, files and CI logs stay
 * clean, and stdout (where reports go) is never touched.
 */
export class Progress {
  private readonly line: cliProgress.SingleBar;
  private running = false;

  constructor(stream: NodeJS.WriteStream = process.stderr) {
    this.line = new BackgroundBar({
      stream,
      format: (options, params, payload: Line) => formatLine(options, params, payload),
      barsize: 24,
      // ASCII, because block characters are double width in many Chinese terminal setups.
      barCompleteChar: '#',
      barIncompleteChar: '.',
      emptyOnZero: true,
      clearOnComplete: true,
      hideCursor: false,
      // true: cli-progress leaves the terminal's line wrapping alone (turned off, an error exit would leave it off) and
      // cuts the line to the terminal width, a no-op because formatLine already keeps it narrower (CJK counted double).
      linewrap: true,
      fps: 10,
    });
  }

  /** A status line without a bar, e.g. `解包：a.pdf`. */
  update(text: string): void {
    this.show(0, 0, { text });
  }

  /**
   * A bar at `done` of `total` with a label. `done` may be fractional (part-way through an item) to move the bar;
   * the count shows `finished`, by default the whole items in `done`.
   */
  bar(done: number, total: number, label: string, finished = Math.floor(done)): void {
    this.show(done, total, { text: label, counts: { done: finished, total } });
  }

  /** Clears the line; the next update starts a new one. */
  done(): void {
    if (!this.running) return;
    this.running = false;
    this.line.stop();
  }

  private show(value: number, total: number, line: Line): void {
    if (!this.running) {
      // cli-progress draws nothing (and starts no timer) when the stream is not a terminal.
      this.line.start(total, value, line);
      this.running = true;
      return;
    }
    this.line.setTotal(total);
    this.line.update(value, line);
  }
}

/** How much of a dossier's share of the bar its files fill; the rest (checking, writing reports) fills when it is done. */
const READING_SHARE = 0.9;

/**
 * The batch bar: it moves with every file read in any dossier being checked (a dossier counts as the share of its
 * files already read) and names the dossiers in flight.
 */
export class BatchProgress {
  private readonly line: Progress;
  private total = 0;
  private finished = 0;
  private readonly inFlight = new Map<string, { done: number; files: number }>();

  constructor(stream: NodeJS.WriteStream = process.stderr) {
    this.line = new Progress(stream);
  }

  handle(event: BatchProgressEvent): void {
    if (event.stage === 'dossier-start') {
      this.total = event.total;
      this.inFlight.set(event.name, { done: 0, files: 0 });
    } else if (event.stage === 'file') {
      this.inFlight.set(event.name, { done: event.done, files: event.files });
    } else {
      this.total = event.total;
      this.finished = event.done;
      this.inFlight.delete(event.name);
    }
    let partial = 0;
    const names: string[] = [];
    for (const [name, { done, files }] of this.inFlight) {
      partial += files > 0 ? READING_SHARE * (done / files) : 0;
      names.push(files > 0 ? `${name}（文件 ${done}/${files}）` : `${name}（解包）`);
    }
    this.line.bar(this.finished + partial, this.total, names.length > 0 ? `正在检查：${names.join('、')}` : '', this.finished);
  }

  done(): void {
    this.line.done();
  }
}

function formatLine(options: cliProgress.Options, params: cliProgress.Params, line: Line): string {
  const text = line.counts
    ? `[${cliProgress.Format.BarFormat(params.progress, options)}] ${line.counts.done}/${line.counts.total} ${line.text}`
    : line.text;
  return clipToColumns(text, Math.max(10, params.maxWidth - 1));
}

/** Cuts `text` to fit `columns` terminal columns (CJK characters take two), marking the cut with an ellipsis. */
function clipToColumns(text: string, columns: number): string {
  if (stringWidth(text) <= columns) return text;
  let out = '';
  let width = 0;
  for (const ch of text) {
    const w = stringWidth(ch);
    if (width + w > columns - 2) break; // the ellipsis is two columns wide in CJK terminals
    out += ch;
    width += w;
  }
  return `${out}…`;
}
