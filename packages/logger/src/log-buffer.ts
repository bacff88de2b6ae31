/**
 * One invocation's held-back lines: a ring of at most `maxLines` serialized lines, the oldest
 * dropped (and counted) when full, so a chatty invocation cannot grow memory without bound.
 */
export class LogBuffer {
  readonly maxLines: number;
  private readonly lines: (string | undefined)[];
  private start = 0;
  private count = 0;
  private dropped = 0;

  constructor(maxLines: number) {
    this.maxLines = maxLines;
    this.lines = new Array<string | undefined>(maxLines);
  }

  /** Lines held now. */
  get size(): number {
    return this.count;
  }

  /** Keeps a line, dropping the oldest when full. */
  push(line: string): void {
    if (this.count < this.maxLines) {
      this.lines[(this.start + this.count) % this.maxLines] = line;
      this.count++;
      return;
    }
    this.lines[this.start] = line;
    this.start = (this.start + 1) % this.maxLines;
    this.dropped++;
  }

  /** Takes every held line, oldest first, with how many were dropped; the buffer is then empty. */
  drain(): { lines: string[]; dropped: number } {
    const lines: string[] = [];
    for (let i = 0; i < this.count; i++) {
      const index = (this.start + i) % this.maxLines;
      lines.push(this.lines[index]!);
      this.lines[index] = undefined;
    }
    const dropped = this.dropped;
    this.start = 0;
    this.count = 0;
    this.dropped = 0;
    return { lines, dropped };
  }

  /** Forgets everything held (the invocation succeeded: its held lines are not needed). */
  clear(): void {
    this.lines.fill(undefined);
    this.start = 0;
    this.count = 0;
    this.dropped = 0;
  }
}
