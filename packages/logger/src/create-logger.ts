import { type LineDestination, stdoutDestination } from '@lambdakit/core';
import { type Logger as PinoLogger, type LoggerOptions as PinoOptions, pino } from 'pino';
import { isoTimestamp } from './iso-timestamp.js';
import { LineRouter } from './line-router.js';
import { LEVEL_LABELS, LEVEL_VALUES, type LogLevel, parseLevel, resolveLogLevel } from './log-level.js';
import { assertBoolean, assertFunction, integerOption, type LoggerDoor, optionError } from './option-error.js';
import { loadPrettyFormatter } from './pretty.js';
import { DEFAULT_REDACT_KEYS, describe, type SanitizeOptions, sanitize } from './sanitize.js';
import { mergeSpanIds, spanIdsMixin } from './span-ids.js';
import { DEFAULT_MAX_LINE_BYTES } from './truncate-line.js';

/** A lambdakit logger: a pino logger writing lambdakit's line format (see the README). */
export type Logger = PinoLogger;

/** What an invocation logger is bound to: Lambda's context, or lambdakit's `ctx` (which adds `coldStart`, `traceId`). */
export interface InvocationInfo {
  readonly awsRequestId?: string | undefined;
  readonly functionName?: string | undefined;
  readonly functionVersion?: string | undefined;
  readonly invokedFunctionArn?: string | undefined;
  readonly coldStart?: boolean | undefined;
  readonly traceId?: string | undefined;
  /** `ctx.trace` of `@lambdakit/tracer`: each line carries the running span's id. */
  readonly trace?: { activeSpanId?(): string | undefined } | undefined;
  /** True while a durable function replays (`@lambdakit/durable`): lines are not written then. */
  readonly replaying?: boolean | undefined;
  /**
   * Fields for each line written now, read per line (`@lambdakit/durable`: the durable operation
   * running and its attempt); a line's own fields win.
   */
  readonly logFields?: (() => Record<string, unknown> | undefined) | undefined;
}

/** Holding back below-threshold lines until the invocation shows it needs them. */
export interface BufferOptions {
  /** The lowest level held back (default `debug`); lines below it are not even serialized. */
  level?: LogLevel | undefined;
  /** Lines held per invocation (default 100); past it the oldest are dropped and counted. */
  maxLines?: number | undefined;
}

/** What is kept out of the logs. */
export interface RedactOptions {
  /** Exact paths redacted as well, in pino's syntax (`'user.ssn'`, `'cards[*].number'`, `'*.pin'`). */
  paths?: readonly string[] | undefined;
  /** Field names redacted at any depth (default {@link DEFAULT_REDACT_KEYS}); `false` turns it off. */
  keys?: RegExp | false | undefined;
  /** What a redacted value becomes (default `'[REDACTED]'`). */
  censor?: string | undefined;
}

/** Options of {@link createLogger} (and of the `logger()` middleware). */
export interface CreateLoggerOptions {
  /** The lowest level written; default `LOG_LEVEL`, then `AWS_LAMBDA_LOG_LEVEL`, then `info`. */
  level?: LogLevel | undefined;
  /** Fields on every line, set once (e.g. `{ service: 'orders' }`). */
  persistentKeys?: Record<string, unknown> | undefined;
  /** Fraction of invocations (0 to 1) that log at DEBUG; decided once per invocation. Default 0. */
  sampleRate?: number | undefined;
  /** The random source for sampling, returning [0, 1) (default `Math.random`). */
  random?: (() => number) | undefined;
  /** Hold back below-threshold lines per invocation, written only if it logs an error or fails. Default off. */
  buffer?: boolean | BufferOptions | undefined;
  /** The correlation id of an event (default {@link correlationIdFrom}). */
  correlationId?: ((event: unknown, context: InvocationInfo) => string | undefined) | undefined;
  /** Log each invocation's event (redacted, size-capped) at INFO. Default false. */
  logEvent?: boolean | undefined;
  /** The most of the event's JSON written when `logEvent` is on, in bytes (default 16384). */
  maxEventBytes?: number | undefined;
  redact?: RedactOptions | undefined;
  /** Longest line written, in UTF-8 bytes, newline included (default 262,118: CloudWatch's event limit). */
  maxLineBytes?: number | undefined;
  /** Where lines go (default: synchronous stdout). */
  destination?: LineDestination | undefined;
  /** Human-readable output (default: `LAMBDAKIT_LOG_PRETTY`, else on when writing to a stdout that is a TTY). */
  pretty?: boolean | undefined;
  /** The clock for `timestamp`, epoch milliseconds (default `Date.now`). */
  now?: (() => number) | undefined;
  /** The environment read for levels, pretty output and the trace id (default `process.env`). */
  env?: Readonly<Record<string, string | undefined>> | undefined;
}

/** @internal What invocation loggers need from the logger they derive from. */
export interface LoggerConfig {
  /** Lambda's own level floor (advanced logging controls), 0 when none. */
  readonly floor: number;
  readonly sampleRate: number;
  readonly random: () => number;
  readonly buffer: { readonly level: number; readonly maxLines: number } | undefined;
  readonly correlationId: ((event: unknown, context: InvocationInfo) => string | undefined) | undefined;
  readonly logEvent: boolean;
  readonly maxEventBytes: number;
  readonly sanitize: SanitizeOptions;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The stream every logger derived from this one writes to. */
  readonly router: LineRouter;
}

/** @internal The key of a logger's {@link LoggerConfig}; children inherit it by prototype. */
export const loggerConfigKey: unique symbol = Symbol('lambdakit.loggerConfig');

/** @internal The config of a logger made by {@link createLogger} (or a child of one). */
export function loggerConfig(log: unknown): LoggerConfig | undefined {
  return (log as { [loggerConfigKey]?: LoggerConfig } | null | undefined)?.[loggerConfigKey];
}

const DEFAULT_BUFFER_LINES = 100;
const DEFAULT_MAX_EVENT_BYTES = 16_384;

/**
 * Creates a logger writing one JSON object per line (level label, ISO timestamp, message, fields),
 * synchronously, never throwing into the caller. Works alone; `invocationLogger()` or the
 * `logger()` middleware bind it to an invocation.
 */
export function createLogger(options: CreateLoggerOptions = {}): Logger {
  return buildLogger(options, 'createLogger');
}

/** @internal {@link createLogger}, for `door`: the `logger()` middleware builds its logger here too. */
export function buildLogger(options: CreateLoggerOptions, door: LoggerDoor): Logger {
  if (options === null || typeof options !== 'object') throw new TypeError(`${door}(options): expected an object`);
  const env = options.env ?? process.env;
  const resolved = resolveLogLevel(options.level, env, door);
  const sampleRate = options.sampleRate ?? 0;
  if (typeof sampleRate !== 'number' || !(sampleRate >= 0 && sampleRate <= 1)) {
    throw optionError(door, 'sampleRate', `expected a number from 0 to 1, got ${String(sampleRate)}`);
  }
  const random = options.random ?? Math.random;
  for (const name of ['random', 'correlationId', 'now'] as const) assertFunction(options[name], name, door);
  for (const name of ['logEvent', 'pretty'] as const) assertBoolean(options[name], name, door);
  const maxLineBytes = integerOption(options.maxLineBytes, 'maxLineBytes', DEFAULT_MAX_LINE_BYTES, 1024, door);
  const maxEventBytes = integerOption(options.maxEventBytes, 'maxEventBytes', DEFAULT_MAX_EVENT_BYTES, 256, door);

  const redact = options.redact ?? {};
  const censor = redact.censor ?? '[REDACTED]';
  if (typeof censor !== 'string') throw optionError(door, 'redact: { censor }', 'expected a string');
  const keys = redact.keys === false ? undefined : statelessPattern(redact.keys ?? DEFAULT_REDACT_KEYS, door);
  const sanitizeOptions: SanitizeOptions = { keys, censor };

  const router = new LineRouter(sink(options, env, door), maxLineBytes);
  const config: LoggerConfig = {
    floor: resolved.floor,
    sampleRate,
    random,
    buffer: bufferConfig(options.buffer, resolved.floor, door),
    correlationId: options.correlationId,
    logEvent: options.logEvent === true,
    maxEventBytes,
    sanitize: sanitizeOptions,
    env,
    router,
  };

  const log = pino(pinoOptionsFor(options, resolved.level, sanitizeOptions, censor), router);
  // pino runs `formatters.bindings` on the root's base only, not on `child()` bindings: those are
  // made safe here (redacted, hostile values defused), for this logger and every descendant.
  const pinoChild = log.child;
  log.child = function child(this: Logger, bindings: Record<string, unknown>, childOptions?: object) {
    return pinoChild.call(this, sanitizeBindings(bindings ?? {}, sanitizeOptions), childOptions);
  } as Logger['child'];
  (log as unknown as Record<symbol, unknown>)[loggerConfigKey] = config;
  // A misconfiguration is worth seeing even when the level is above WARN (`silent` still means silent).
  const warnAt = LEVEL_VALUES[resolved.level] > LEVEL_VALUES.warn ? resolved.level : 'warn';
  for (const warning of resolved.warnings)
    log[warnAt === 'silent' ? 'warn' : warnAt](warning.fields, `lambdakit logger: ${warning.message}`);
  return log;
}

/** pino's options for lambdakit's line format: labels, ISO timestamps, sanitized fields. */
function pinoOptionsFor(
  options: CreateLoggerOptions,
  level: LogLevel,
  sanitizeOptions: SanitizeOptions,
  censor: string,
): PinoOptions {
  const now = options.now;
  const pinoOptions: PinoOptions = {
    level,
    messageKey: 'message',
    errorKey: 'error',
    base: options.persistentKeys === undefined ? null : { ...options.persistentKeys },
    // pino's timestamp hook returns the JSON fragment itself: no object, no re-parse.
    timestamp: now === undefined ? timestampNow : () => `,"timestamp":"${isoTimestamp(now())}"`,
    formatters: {
      level: (label) => ({ level: LEVEL_LABELS[label] ?? label.toUpperCase() }),
      bindings: (bindings) => sanitizeBindings(bindings, sanitizeOptions),
      log: (fields) => sanitize(fields, sanitizeOptions) as Record<string, unknown>,
    },
    // pino adds its own `err` serializer to these unless told not to; Errors are already plain
    // objects by then (formatters.log), with their AWS SDK fields and a structured cause chain.
    serializers: { message: messageText, err: undefined as never },
    hooks: { logMethod: guardedLogMethod },
    mixin: spanIdsMixin,
    mixinMergeStrategy: mergeSpanIds,
  };
  const paths = options.redact?.paths;
  if (paths !== undefined && paths.length > 0) pinoOptions.redact = { paths: [...paths], censor };
  return pinoOptions;
}

function timestampNow(): string {
  return `,"timestamp":"${isoTimestamp(Date.now())}"`;
}

/** The message is always a string: a Symbol or BigInt message would otherwise not serialize. */
function messageText(value: unknown): unknown {
  switch (typeof value) {
    case 'number':
    case 'boolean':
    case 'bigint':
    case 'symbol':
      return String(value);
    default:
      return value;
  }
}

function sanitizeBindings(bindings: Record<string, unknown>, options: SanitizeOptions): Record<string, unknown> {
  try {
    const clean = sanitize(bindings, options) as Record<string, unknown>;
    if (Object.getPrototypeOf(clean) !== null) return clean;
    // pino calls `bindings.hasOwnProperty()`, which a null-prototype object lacks.
    const plain: Record<string, unknown> = {};
    for (const key of Object.keys(clean)) {
      Object.defineProperty(plain, key, { value: clean[key], enumerable: true, writable: true, configurable: true });
    }
    return plain;
  } catch (error) {
    // `log.child(fields)` runs in business logic: a hostile field must not throw there.
    return { bindingsError: describe(error) };
  }
}

/**
 * Runs every log call inside a guard: whatever a value or the destination throws, the caller
 * never sees it. A line that cannot be written is replaced by one saying so.
 */
function guardedLogMethod(this: Logger, args: unknown[], method: (...args: unknown[]) => void): void {
  try {
    method.apply(this, args);
  } catch (error) {
    try {
      method.call(this, { logError: describe(error) }, 'lambdakit logger: a log line could not be serialized');
    } catch {
      // The destination itself fails: there is nowhere left to say so.
    }
  }
}

function sink(
  options: CreateLoggerOptions,
  env: Readonly<Record<string, string | undefined>>,
  door: LoggerDoor,
): LineDestination {
  const custom = options.destination;
  if (custom !== undefined && (custom === null || typeof custom.write !== 'function')) {
    throw optionError(door, 'destination', 'expected an object with a write(line) method');
  }
  const destination = custom ?? stdoutDestination();
  const stdoutIsTty = custom === undefined && process.stdout.isTTY === true;
  if (!(options.pretty ?? prettyFromEnv(env.LAMBDAKIT_LOG_PRETTY) ?? stdoutIsTty)) return destination;
  const format = loadPrettyFormatter(stdoutIsTty);
  if (format === undefined) return destination;
  return {
    write(line: string) {
      const text = format(line);
      if (text !== undefined) destination.write(text);
    },
  };
}

function prettyFromEnv(value: string | undefined): boolean | undefined {
  if (value === undefined || value === '') return undefined;
  return value === '1' || value.toLowerCase() === 'true';
}

function bufferConfig(option: CreateLoggerOptions['buffer'], floor: number, door: LoggerDoor): LoggerConfig['buffer'] {
  if (option === undefined || option === false) return undefined;
  const settings = option === true ? {} : option;
  if (settings === null || typeof settings !== 'object')
    throw optionError(door, 'buffer', 'expected a boolean or an object');
  let level: number = LEVEL_VALUES.debug;
  if (settings.level !== undefined) {
    const name = parseLevel(settings.level);
    if (name === undefined || name === 'silent') {
      throw optionError(door, 'buffer: { level }', `"${String(settings.level)}" is not a log level`);
    }
    level = LEVEL_VALUES[name];
  }
  const maxLines = integerOption(settings.maxLines, 'buffer: { maxLines }', DEFAULT_BUFFER_LINES, 1, door);
  // Lambda would drop lines below its own level anyway: never hold them.
  return { level: Math.max(level, floor), maxLines };
}

/** A global or sticky RegExp remembers `lastIndex` between `test()` calls: redaction would skip keys. */
function statelessPattern(pattern: RegExp, door: LoggerDoor): RegExp {
  if (!(pattern instanceof RegExp)) throw optionError(door, 'redact: { keys }', 'expected a RegExp or false');
  return pattern.global || pattern.sticky ? new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, '')) : pattern;
}
