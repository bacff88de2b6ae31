import { correlationIdFrom } from './correlation-id.js';
import { type InvocationInfo, type Logger, type LoggerConfig, loggerConfig } from './create-logger.js';
import { type LineRoute, type LineRouter, lineRouteKey } from './line-router.js';
import { LogBuffer } from './log-buffer.js';
import { LEVEL_VALUES, levelName } from './log-level.js';
import { describe, sanitize } from './sanitize.js';
import { spanSourceKey } from './span-ids.js';
import { cutToBytes } from './truncate-line.js';

/**
 * One invocation's routing state, carried by its logger (children inherit it by prototype):
 * the level it was sampled at and the lines it holds back. Never in module scope, so concurrent
 * invocations in one process (Lambda Managed Instances) keep their own.
 */
class InvocationRoute implements LineRoute {
  /** The level lines must reach to be written now (DEBUG when this invocation was sampled). */
  readonly threshold: number;
  readonly buffer: LogBuffer | undefined;
  /** The level the marker of dropped lines is written at: enabled on the logger whatever the threshold. */
  readonly markerLevel: 'warn' | 'error' | 'fatal';
  readonly router: LineRouter;
  log: Logger | undefined = undefined;
  /** The invocation's `ctx`: while it says it is replaying (a durable function), lines are dropped. */
  source: InvocationInfo | undefined = undefined;
  settled = false;
  private flushing = false;

  constructor(threshold: number, buffer: LogBuffer | undefined, loggerLevel: number, router: LineRouter) {
    this.threshold = threshold;
    this.buffer = buffer;
    this.router = router;
    this.markerLevel =
      loggerLevel <= LEVEL_VALUES.warn ? 'warn' : loggerLevel <= LEVEL_VALUES.error ? 'error' : 'fatal';
  }

  route(line: string, level: number): void {
    const router = this.router;
    const buffer = this.buffer;
    if (this.source?.replaying === true) return; // written by the invocation that ran it first
    if (buffer === undefined || this.flushing) {
      router.writeLine(line);
      return;
    }
    if (level < this.threshold) {
      // After the invocation settled there is nothing left to flush for: a late line is dropped.
      if (!this.settled) buffer.push(router.fit(line));
      return;
    }
    // An ERROR or FATAL line: the held-back context goes first, oldest first.
    if (level >= LEVEL_VALUES.error && buffer.size > 0) this.flush();
    router.writeLine(line);
  }

  flush(): void {
    const buffer = this.buffer;
    if (buffer === undefined || this.flushing) return;
    const { lines, dropped } = buffer.drain();
    this.flushing = true;
    try {
      if (dropped > 0 && this.log !== undefined) {
        this.log[this.markerLevel](
          { droppedLines: dropped },
          `lambdakit logger: ${dropped} older buffered line(s) dropped; the buffer keeps ${buffer.maxLines}`,
        );
      }
      for (const line of lines) this.router.writeFitted(line);
    } finally {
      this.flushing = false;
    }
  }
}

// Whether this process has bound an invocation yet: a process-wide fact (like Lambda's own cold
// start), used only when the context does not say (Lambda's raw context has no `coldStart`).
let processBoundInvocation = false;

/**
 * A child of `log` bound to one invocation: every line carries requestId, functionName,
 * functionVersion, functionArn, coldStart, xrayTraceId and correlationId, computed once here.
 * Decides sampling for this invocation and, with buffering on, holds back its below-threshold
 * lines. Never throws on a strange context or event.
 */
export function invocationLogger(log: Logger, event?: unknown, ctx: InvocationInfo = {}): Logger {
  const config = loggerConfig(log);
  if (config === undefined) throw new TypeError('invocationLogger(log): log must come from createLogger()');
  const base = Math.max(log.levelVal, config.floor);
  let sampled = false;
  // A silent logger stays silent: no sampling, nothing held back to write later.
  if (config.sampleRate > 0 && Number.isFinite(base)) {
    try {
      sampled = config.random() < config.sampleRate;
    } catch {
      sampled = false;
    }
  }
  const threshold = sampled ? Math.max(Math.min(base, LEVEL_VALUES.debug), config.floor) : base;
  const holdBack = config.buffer !== undefined && config.buffer.level < threshold && Number.isFinite(threshold);
  const loggerLevel = holdBack ? config.buffer!.level : threshold;
  const buffer = holdBack ? new LogBuffer(config.buffer!.maxLines) : undefined;
  const route = new InvocationRoute(threshold, buffer, loggerLevel, config.router);

  const child = log.child(
    bindingsOf(ctx, event, config),
    loggerLevel === log.levelVal ? undefined : { level: levelName(loggerLevel) },
  );
  (child as unknown as Record<symbol, unknown>)[lineRouteKey] = route;
  // Read per line: `tracer()` may set ctx.trace after this logger is bound.
  if (typeof ctx === 'object' && ctx !== null) {
    (child as unknown as Record<symbol, unknown>)[spanSourceKey] = ctx;
    route.source = ctx;
  }
  route.log = child;
  if (config.logEvent) child.info({ event: cappedEvent(event, config) }, 'Lambda invocation event');
  return child;
}

/**
 * Writes the lines an invocation logger holds back, now (with a marker counting any dropped).
 * Call it when the invocation fails; the `logger()` middleware does. No-op without buffering.
 */
export function flushLogBuffer(log: Logger): void {
  try {
    routeOf(log)?.flush();
  } catch {
    // Flushing runs on the failure path: it must not replace the invocation's own error.
  }
}

/** @internal Ends an invocation logger: held lines are written if it failed, else forgotten. */
export function settleLogger(log: Logger, failed: boolean): void {
  const route = routeOf(log);
  if (route === undefined) return;
  if (failed) flushLogBuffer(log);
  route.buffer?.clear();
  route.settled = true;
}

function routeOf(log: Logger): InvocationRoute | undefined {
  // The invocation logger itself, or a child of it: children inherit the route by prototype.
  const route = (log as unknown as { [lineRouteKey]?: LineRoute } | null | undefined)?.[lineRouteKey];
  return route instanceof InvocationRoute ? route : undefined;
}

function bindingsOf(context: InvocationInfo, event: unknown, config: LoggerConfig): Record<string, unknown> {
  const ctx = (context ?? {}) as InvocationInfo;
  const bindings: Record<string, unknown> = {};
  const put = (key: string, read: () => unknown) => {
    try {
      const value = read();
      if (typeof value === 'string' ? value !== '' : value !== undefined) bindings[key] = value;
    } catch {
      // A hostile context field is left out, never thrown.
    }
  };
  put('requestId', () => ctx.awsRequestId);
  put('functionName', () => ctx.functionName);
  put('functionVersion', () => ctx.functionVersion);
  put('functionArn', () => ctx.invokedFunctionArn);
  put('coldStart', () => {
    const own = ctx.coldStart;
    const first = !processBoundInvocation;
    processBoundInvocation = true;
    if (typeof own === 'boolean') return own;
    // Provisioned concurrency initialises ahead of any invocation: none of them is a cold start.
    return first && config.env.AWS_LAMBDA_INITIALIZATION_TYPE !== 'provisioned-concurrency';
  });
  put('xrayTraceId', () => traceRoot('traceId' in ctx ? ctx.traceId : config.env._X_AMZN_TRACE_ID));
  put('correlationId', () => {
    const id = config.correlationId === undefined ? correlationIdFrom(event) : config.correlationId(event, ctx);
    return typeof id === 'string' ? id : undefined;
  });
  return bindings;
}

/** The `Root=` part of an X-Ray trace header (`Root=1-…;Parent=…;Sampled=1`): the id X-Ray shows. */
function traceRoot(header: unknown): string | undefined {
  if (typeof header !== 'string' || header === '') return undefined;
  const match = /(?:^|;)\s*Root=([^;]+)/.exec(header);
  return match?.[1] ?? header;
}

function cappedEvent(event: unknown, config: LoggerConfig): unknown {
  try {
    // The event's own JSON in strings (an HTTP body, an SQS body, an SNS message) is looked into too.
    const clean = sanitize(event, { ...config.sanitize, jsonStrings: true });
    const json = JSON.stringify(clean) ?? 'undefined';
    if (Buffer.byteLength(json) <= config.maxEventBytes) return clean;
    return `${cutToBytes(json, config.maxEventBytes)}…[event truncated: ${Buffer.byteLength(json)} bytes]`;
  } catch (error) {
    return `[event not loggable: ${describe(error)}]`;
  }
}
