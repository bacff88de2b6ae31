import { type LogRecord, levelLabel } from './log-record.js';

/** How `lambdakit logs` prints a record: as a JSON line, or pretty (aligned, optionally in color). */
export interface LogRecordFormat {
  format: 'pretty' | 'json';
  color: boolean;
}

/** A kept record as `lambdakit logs` prints it, without the newline. */
export function formatLogRecord(record: LogRecord, { format, color }: LogRecordFormat): string {
  return format === 'pretty' ? pretty(record, color) : jsonLine(record);
}

function jsonLine(record: LogRecord): string {
  if (record.kind === 'json') return record.raw.trim();
  return JSON.stringify({
    ...(record.time === undefined ? {} : { timestamp: new Date(record.time).toISOString() }),
    ...(record.level === undefined ? {} : { level: levelLabel(record.level) }),
    ...(record.requestId === undefined ? {} : { requestId: record.requestId }),
    message: record.message,
  });
}

const COLORS: Record<string, string> = {
  TRACE: '\u001b[90m',
  DEBUG: '\u001b[36m',
  INFO: '\u001b[32m',
  WARN: '\u001b[33m',
  ERROR: '\u001b[31m',
  FATAL: '\u001b[35m',
};
const RESET = '\u001b[0m';
const DIM = '\u001b[2m';
// Fields already shown in the line's head; the rest are printed after the message.
const SHOWN = new Set([
  'level',
  'severity',
  'time',
  'timestamp',
  'msg',
  'message',
  'requestId',
  'awsRequestId',
  'request_id',
]);

function pretty(record: LogRecord, color: boolean): string {
  const paint = (code: string | undefined, text: string) =>
    color && code !== undefined ? `${code}${text}${RESET}` : text;
  const time = record.time === undefined ? ' '.repeat(24) : new Date(record.time).toISOString();
  const label = record.level === undefined ? '' : levelLabel(record.level);
  const head = [
    paint(DIM, time),
    paint(COLORS[label], label.padEnd(5)),
    paint(DIM, record.requestId === undefined ? '-'.padEnd(8) : visible(record.requestId.slice(0, 8))),
  ];
  let rest = '';
  if (record.fields !== undefined) {
    const extra = Object.entries(record.fields).filter(([key]) => !SHOWN.has(key));
    if (extra.length > 0) rest = ` ${paint(DIM, visible(boundedJson(Object.fromEntries(extra), 0)))}`;
  }
  return `${head.join(' ')} ${visible(record.message ?? '')}${rest}`;
}

/** How deep `--pretty` prints a line's fields; deeper objects and arrays are shown as `{…}` and `[…]`. */
const MAX_PRETTY_DEPTH = 16;

/** A parsed JSON value as JSON text, down to {@link MAX_PRETTY_DEPTH} levels (a deeper line would overflow the stack). */
function boundedJson(value: unknown, depth: number): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (depth >= MAX_PRETTY_DEPTH) return Array.isArray(value) ? '[…]' : '{…}';
  if (Array.isArray(value)) return `[${value.map((item) => boundedJson(item, depth + 1)).join(',')}]`;
  const entries = Object.entries(value).map(([key, item]) => `${JSON.stringify(key)}:${boundedJson(item, depth + 1)}`);
  return `{${entries.join(',')}}`;
}

// What a line may not send to the terminal: control characters but tab and newline (escape
// sequences clear the screen, set the title, write the clipboard; a carriage return overwrites
// the line), DEL, the C1 controls (U+009B is an escape sequence's start on its own) and Unicode's
// bidirectional overrides, which reorder what is shown.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text as `--pretty` prints it: unsafe characters as `\u001b`-style escapes, and each line after a
 * newline indented, so a message cannot pass for a log line of its own.
 */
function visible(text: string): string {
  return text
    .replace(UNSAFE, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replaceAll('\n', '\n    ');
}
