/** One log line, normalised from whichever format it came in. */
export interface LogRecord {
  /** The line as read. */
  raw: string;
  /**
   * `json`: a JSON object line; `text`: Lambda's tab-separated console line; `platform`: a line
   * Lambda itself writes (START, END, REPORT, INIT_START, INIT_REPORT, "Task timed out");
   * `plain`: any other line of text a process wrote (Node's report of an uncaught error, a
   * library's notice on stderr), with no level, time or request id.
   */
  kind: 'json' | 'text' | 'platform' | 'plain';
  /** Severity on pino's scale (10 trace … 60 fatal); undefined when the line has none. */
  level: number | undefined;
  /** Epoch milliseconds; undefined when the line has no readable time. */
  time: number | undefined;
  requestId: string | undefined;
  message: string | undefined;
  /** The parsed object of a JSON line. */
  fields: Record<string, unknown> | undefined;
}

const LEVELS: Record<string, number> = {
  TRACE: 10,
  DEBUG: 20,
  INFO: 30,
  NOTICE: 30,
  WARN: 40,
  WARNING: 40,
  ERROR: 50,
  FATAL: 60,
  CRITICAL: 60,
};

/** The label of a pino-scale level number: 10 TRACE, 20 DEBUG, 30 INFO, 40 WARN, 50 ERROR, 60 FATAL. */
export function levelLabel(level: number): string {
  if (level >= 60) return 'FATAL';
  if (level >= 50) return 'ERROR';
  if (level >= 40) return 'WARN';
  if (level >= 30) return 'INFO';
  if (level >= 20) return 'DEBUG';
  return 'TRACE';
}

/**
 * A level as pino's number: a label in any case (`warn`, `WARNING`) or a number (pino's own
 * scale: 10, 20, …, 60). Undefined for anything else.
 */
export function parseLevel(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text);
  return LEVELS[text.toUpperCase()];
}

// The range of a JavaScript Date: a time outside it has no calendar date to print or filter on.
const MAX_TIME_MS = 8.64e15;

function parseTime(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) {
    // Epoch milliseconds (pino, CloudWatch); a value this small can only be epoch seconds.
    const ms = Math.abs(value) < 1e11 ? value * 1000 : value;
    return Math.abs(ms) <= MAX_TIME_MS ? ms : undefined;
  }
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value)) {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? undefined : ms;
  }
  return undefined;
}

function firstString(...values: unknown[]): string | undefined {
  for (const value of values) if (typeof value === 'string' && value !== '') return value;
  return undefined;
}

function fromJson(raw: string, text: string): LogRecord | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
  const fields = parsed as Record<string, unknown>;
  // Lambda's JSON platform events nest the request id under `record`.
  const record = (typeof fields.record === 'object' && fields.record !== null ? fields.record : {}) as Record<
    string,
    unknown
  >;
  const context = (typeof fields.context === 'object' && fields.context !== null ? fields.context : {}) as Record<
    string,
    unknown
  >;
  return {
    raw,
    kind: 'json',
    level: parseLevel(fields.level ?? fields.severity ?? fields.levelname),
    time: parseTime(fields.time ?? fields.timestamp ?? fields['@timestamp']),
    requestId: firstString(
      fields.requestId,
      fields.awsRequestId,
      fields.request_id,
      fields.aws_request_id,
      record.requestId,
      context.awsRequestId,
    ),
    message: firstString(fields.msg, fields.message, fields.errorMessage, fields.type),
    fields,
  };
}

// Lambda's text log format: time, request id, level, message, tab-separated.
const TEXT_LINE = /^(\d{4}-\d{2}-\d{2}T[\d:.]+Z)\t(\S+)\t([A-Z]+)\t(.*)$/s;
// Lambda's platform lines of an invocation carry its request id; those of the init phase
// (INIT_START, INIT_REPORT) belong to no invocation and carry none.
const INVOCATION_LINE = /^(?:START|END|REPORT) RequestId: ([\w-]+)/;
const INIT_LINE = /^INIT_(?:START|REPORT)(?:\s|$)/;
// The line Lambda writes when it stops an invocation at its timeout: time, request id and the
// message separated by spaces, not tabs, and no level.
const TIMEOUT_LINE = /^(\d{4}-\d{2}-\d{2}T[\d:.]+Z) ([\w-]+) (Task timed out after [\d.]+ seconds)$/;
// `aws logs tail` prints "<time> <log stream> <message>".
const TAILED_LINE = /^(\d{4}-\d{2}-\d{2}T\S+) (\S+) (.+)$/s;

/**
 * Reads one log line: a JSON object (lambdakit/pino, Lambda's JSON log format, EMF), a line of
 * Lambda's text format, a platform line (START, END, REPORT, INIT_START, INIT_REPORT, the
 * "Task timed out" line), any of those as `aws logs tail` prints them, or a plain line of text.
 * `null` for a blank line or a `lambdakit:` note of the CLI, `undefined` for a malformed line: JSON
 * that does not parse to an object, or binary.
 */
export function parseLogLine(raw: string): LogRecord | null | undefined {
  return parseLine(raw, true);
}

// `tailed`: whether the line may carry `aws logs tail`'s prefix. It is taken off once: the rest
// is read as an untailed line, so a line of many stacked prefixes costs one pass, not a stack
// frame per prefix.
function parseLine(raw: string, tailed: boolean): LogRecord | null | undefined {
  const text = raw.trim();
  // Blank, or a note of `lambdakit invoke`'s own (`lambdakit: local AWS: …`) in piped output: no log line.
  if (text === '' || text.startsWith('lambdakit: ')) return null;
  if (text.startsWith('{')) return fromJson(raw, text);
  const line = TEXT_LINE.exec(text);
  if (line !== null) {
    const [, time, requestId, level, message] = line as unknown as [string, string, string, string, string];
    return {
      raw,
      kind: 'text',
      level: parseLevel(level),
      time: parseTime(time),
      // Outside an invocation (the init phase) the runtime prints `undefined` (nodejs22.x) or `-` (nodejs24.x).
      requestId: requestId === 'undefined' || requestId === '-' ? undefined : requestId,
      message,
      fields: undefined,
    };
  }
  const timedOut = TIMEOUT_LINE.exec(text);
  if (timedOut !== null) {
    const [, time, requestId, message] = timedOut as unknown as [string, string, string, string];
    // Lambda gives this line no level; it reports a failed invocation, so it counts as ERROR (50).
    return { raw, kind: 'platform', level: 50, time: parseTime(time), requestId, message, fields: undefined };
  }
  const invocation = INVOCATION_LINE.exec(text);
  if (invocation !== null || INIT_LINE.test(text)) {
    return {
      raw,
      kind: 'platform',
      level: undefined,
      time: undefined,
      requestId: invocation?.[1],
      message: text,
      fields: undefined,
    };
  }
  const prefixed = tailed ? TAILED_LINE.exec(text) : null;
  if (prefixed !== null) {
    const inner = parseLine(prefixed[3]!, false);
    if (inner) return { ...inner, time: inner.time ?? parseTime(prefixed[1]) };
  }
  // Text a process wrote as it is: kept, without level or time. What looks like JSON but is not,
  // or holds control characters (binary), is malformed.
  if (/^[[{"]/.test(text) || /^(null|true|false|-?\d[\d.eE+-]*)$/.test(text) || CONTROL.test(text)) return undefined;
  return {
    raw,
    kind: 'plain',
    level: undefined,
    time: undefined,
    requestId: undefined,
    message: text,
    fields: undefined,
  };
}

// Control characters other than tab: binary data, or a terminal escape sequence.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/;
