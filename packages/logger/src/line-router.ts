import { type LineDestination, redactSecretValues } from '@lambdakit/core';
import { truncateLine } from './truncate-line.js';

/** The key under which an invocation logger (and its children, by prototype) carries its {@link LineRoute}. */
export const lineRouteKey: unique symbol = Symbol('lambdakit.lineRoute');

/** What decides, per invocation, whether a line is written now or held back. */
export interface LineRoute {
  /** Writes the line (through its router), holds it back, or drops it. */
  route(line: string, level: number): void;
}

/**
 * The stream every logger of one `createLogger()` writes to. It asks pino for each line's level
 * and logger (pino's documented `Symbol.for('pino.metadata')` protocol: `lastLevel`,
 * `lastLogger` are set before each `write`), so one shared stream can send each invocation's
 * lines through that invocation's own buffer: no per-invocation pino instance, no module state.
 */
export class LineRouter {
  lastLevel = 0;
  lastLogger: object | undefined = undefined;
  lastObj: unknown = undefined;
  lastMsg: unknown = undefined;
  lastTime: unknown = undefined;
  private readonly sink: LineDestination;
  private readonly maxLineBytes: number;

  constructor(sink: LineDestination, maxLineBytes: number) {
    this.sink = sink;
    this.maxLineBytes = maxLineBytes;
    (this as unknown as Record<symbol, boolean>)[Symbol.for('pino.metadata')] = true;
  }

  /**
   * pino's write: routes by the logger that wrote the line. A value the sandbox knows to be secret
   * (registered by `@lambdakit/config`) is replaced first, before the line is cut to size or held
   * back, so no part of one is written.
   */
  write(written: string): void {
    const line = redactSecretValues(written);
    const level = this.lastLevel;
    const route = (this.lastLogger as { [lineRouteKey]?: LineRoute } | undefined)?.[lineRouteKey];
    // Nothing of one invocation stays referenced from this shared object once its line is out.
    this.lastLogger = undefined;
    this.lastObj = undefined;
    this.lastMsg = undefined;
    if (route === undefined) this.writeLine(line);
    else route.route(line, level);
  }

  /** The line, cut to the size limit if it is over it. */
  fit(line: string): string {
    // A UTF-16 code unit is at most 3 UTF-8 bytes: most lines are sized without encoding them.
    return line.length * 3 > this.maxLineBytes ? truncateLine(line, this.maxLineBytes) : line;
  }

  /** Writes a line, cut to the size limit, to the destination. */
  writeLine(line: string): void {
    this.sink.write(this.fit(line));
  }

  /** Writes an already fitted line to the destination (a held-back line: scrubbed again for values registered since). */
  writeFitted(line: string): void {
    this.sink.write(redactSecretValues(line));
  }

  /** Lets `logger.flush()` reach a destination that buffers. */
  flush(callback?: (error?: Error) => void): void {
    const flush = (this.sink as { flush?: (cb: (error?: Error) => void) => void }).flush;
    if (typeof flush === 'function') flush.call(this.sink, callback ?? (() => {}));
    else callback?.();
  }
}
