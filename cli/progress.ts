/** A one-line progress display on stderr, only when stderr is a terminal (pipes and CI stay clean). */
export class Progress {
  private readonly enabled: boolean;
  private lastWidth = 0;

  constructor(stream: NodeJS.WriteStream = process.stderr) {
    this.stream = stream;
    this.enabled = Boolean(stream.isTTY);
  }

  private readonly stream: NodeJS.WriteStream;

  update(text: string): void {
    if (!this.enabled) return;
    const line = text.length > 100 ? `${text.slice(0, 99)}…` : text;
    this.stream.write(`\r${line}${' '.repeat(Math.max(0, this.lastWidth - displayWidth(line)))}`);
    this.lastWidth = displayWidth(line);
  }

  bar(done: number, total: number, label: string): void {
    const width = 24;
    const filled = total > 0 ? Math.round((done / total) * width) : 0;
    this.update(`[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${label}`);
  }

  done(): void {
    if (!this.enabled || this.lastWidth === 0) return;
    this.stream.write(`\r${' '.repeat(this.lastWidth)}\r`);
    this.lastWidth = 0;
  }
}

/** CJK characters take two terminal columns. */
function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1;
  return w;
}
