const PRELUDE_CONTENT_TYPE = 'application/vnd.awslambda.http-integration-response';
const DELIMITER = Buffer.alloc(8);
// A prelude longer than this without its delimiter is not one: its bytes are printed as they are.
const MAX_PRELUDE_BYTES = 64 * 1024;
// Chunks listed one per line on stderr; past these, only the closing summary counts them.
const LISTED_CHUNKS = 50;

/**
 * Prints a streamed response as it arrives, the way a client of a function URL sees it: the HTTP
 * prelude (status, headers, cookies) as a line on stderr, the body's bytes on stdout as they come
 * (or all at once at the end, when `live` is off: several invocations at a time), and each chunk's
 * size and time since the invocation started on stderr, then a summary with the time to first byte.
 */
export class StreamPrinter {
  private startedAt = performance.now();
  private preludePending = false;
  private pending: Buffer[] = [];
  private held: Buffer[] = [];
  private chunks = 0;
  private bytes = 0;
  private firstByteMs: number | undefined;
  private opened = false;
  /** Body bytes reached stdout (live), so the payload is not printed again at the end. */
  printed = false;
  /** The body so far ends with a newline: the payload's own newline is then not added. */
  endsWithNewline = false;

  constructor(
    private readonly requestId: string,
    private readonly stdout: NodeJS.WritableStream,
    private readonly stderr: NodeJS.WritableStream,
    private readonly live: boolean,
  ) {}

  /** The invocation was handed to the runtime: times count from here. */
  start(): void {
    this.startedAt = performance.now();
  }

  /** The runtime started its streamed response, with this content type. */
  open(contentType: string | undefined): void {
    this.opened = true;
    this.preludePending = contentType === PRELUDE_CONTENT_TYPE;
  }

  /** Bytes of the streamed response, as they arrived. */
  chunk(data: Buffer): void {
    if (this.preludePending) {
      this.pending.push(data);
      const all = Buffer.concat(this.pending);
      const at = all.indexOf(DELIMITER);
      if (at === -1 && all.length <= MAX_PRELUDE_BYTES) return;
      this.preludePending = false;
      this.pending = [];
      if (at === -1 || !this.prelude(all.subarray(0, at))) {
        this.body(all);
        return;
      }
      const rest = all.subarray(at + DELIMITER.length);
      if (rest.length > 0) this.body(rest);
      return;
    }
    this.body(data);
  }

  /** After the invocation ended: the summary line (`cut` when it did not end well: an error, a timeout). */
  finish(cut: boolean): void {
    if (this.pending.length > 0) {
      const size = this.pending.reduce((sum, piece) => sum + piece.length, 0);
      this.pending = [];
      this.line(`the stream ended inside its HTTP prelude, after ${size} B`);
    }
    if (this.chunks > LISTED_CHUNKS) this.line(`${this.chunks - LISTED_CHUNKS} more chunks not listed`);
    if (this.chunks > 0) {
      const first = ms(this.firstByteMs ?? 0);
      this.line(`stream ${cut ? 'cut off' : 'ended'}: ${this.chunks} chunks, ${this.bytes} B, first byte at ${first}`);
    }
  }

  /** The body held back (not live), without its prelude; undefined when no response was streamed. */
  heldBody(): Buffer | undefined {
    return this.opened ? Buffer.concat(this.held) : undefined;
  }

  private prelude(text: Buffer): boolean {
    let prelude: { statusCode?: unknown; headers?: unknown; multiValueHeaders?: unknown; cookies?: unknown };
    try {
      prelude = JSON.parse(text.toString('utf8')) as typeof prelude;
    } catch {
      return false;
    }
    if (typeof prelude !== 'object' || prelude === null) return false;
    const parts = [`HTTP ${typeof prelude.statusCode === 'number' ? prelude.statusCode : 200}`];
    for (const name of ['headers', 'multiValueHeaders', 'cookies'] as const) {
      if (prelude[name] !== undefined) parts.push(`${name} ${JSON.stringify(prelude[name])}`);
    }
    this.line(`at ${ms(this.elapsed())}: ${parts.join(', ')}`);
    return true;
  }

  private body(data: Buffer): void {
    const at = this.elapsed();
    this.firstByteMs ??= at;
    this.chunks++;
    this.bytes += data.length;
    this.endsWithNewline = data[data.length - 1] === 0x0a;
    if (this.chunks <= LISTED_CHUNKS) this.line(`at ${ms(at)}: chunk ${this.chunks}, ${data.length} B`);
    if (this.live) {
      this.stdout.write(data);
      this.printed = true;
    } else {
      this.held.push(data);
    }
  }

  private elapsed(): number {
    return performance.now() - this.startedAt;
  }

  private line(text: string): void {
    this.stderr.write(`lambdakit: ${this.requestId}: ${text}\n`);
  }
}

function ms(value: number): string {
  return `${value.toFixed(1)} ms`;
}
