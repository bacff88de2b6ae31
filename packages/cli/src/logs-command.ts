import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { CliError, EXIT_OK } from './cli-error.js';
import { type LogFilterOptions, logFilter } from './log-filter.js';
import { type LogRecord, levelLabel, parseLogLine } from './log-record.js';
import { readLines } from './read-lines.js';

/**
 * The longest line `lambdakit logs` reads, in bytes: a longer one is skipped and counted. Far above
 * CloudWatch Logs' own limit on an event (1 MB), so no real log line is lost to it.
 */
export const MAX_LOG_LINE_BYTES = 16 * 1024 * 1024;

/** Options of `lambdakit logs`. */
export interface LogsCommandOptions extends LogFilterOptions {
  /** Output format; default: pretty on a terminal, JSON lines otherwise. */
  format?: 'pretty' | 'json';
  color?: boolean;
}

/** Streams of `lambdakit logs`. */
export interface LogsIo {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream;
}

/**
 * `lambdakit logs [file|-]`: reads log lines one at a time (any file size), keeps those the
 * filters match, prints them pretty on a terminal or as JSON lines, and counts malformed lines
 * on stderr instead of failing on them.
 */
export async function logsCommand(file: string | undefined, options: LogsCommandOptions, io: LogsIo): Promise<number> {
  const keep = logFilter(options);
  const format = options.format ?? (io.stdout.isTTY ? 'pretty' : 'json');
  const color =
    options.color ?? (format === 'pretty' && io.stdout.isTTY === true && process.env.NO_COLOR === undefined);
  let input: NodeJS.ReadableStream;
  if (file === undefined || file === '-') {
    if (file === undefined && io.stdin.isTTY)
      throw new CliError('no input: give a log file, or pipe lines in (…| lambdakit logs)');
    input = io.stdin;
  } else {
    const info = await stat(file).catch((error: NodeJS.ErrnoException) => {
      throw new CliError(`${file}: cannot read it (${error.code === 'ENOENT' ? 'no such file' : error.code})`, {
        file,
      });
    });
    if (!info.isFile() && !info.isFIFO()) throw new CliError(`${file}: not a file`, { file });
    input = createReadStream(file);
  }

  let closed = false;
  io.stdout.on('error', () => {
    // The reader went away (`| head`: EPIPE): stop quietly, as Unix filters do.
    closed = true;
  });
  let lineNumber = 0;
  const malformed = { count: 0, first: 0 };
  const long = { count: 0, first: 0 };
  const note = (tally: { count: number; first: number }) => {
    tally.count++;
    if (tally.first === 0) tally.first = lineNumber;
  };
  for await (const line of readLines(input as AsyncIterable<Buffer | string>, MAX_LOG_LINE_BYTES)) {
    lineNumber++;
    if (typeof line !== 'string') {
      note(long);
      continue;
    }
    let out: string;
    try {
      const record = parseLogLine(line);
      if (record === null) continue;
      if (record === undefined) {
        note(malformed);
        continue;
      }
      if (!keep(record)) continue;
      out = format === 'pretty' ? pretty(record, color) : jsonLine(record);
    } catch {
      // Whatever a line holds, it costs that line only: the rest of the input is still read.
      note(malformed);
      continue;
    }
    if (closed) break;
    if (!io.stdout.write(`${out}\n`)) await Promise.race([once(io.stdout, 'drain'), once(io.stdout, 'close')]);
    if (closed) break;
  }
  if (malformed.count > 0) {
    io.stderr.write(
      `lambdakit logs: skipped ${malformed.count} malformed line${malformed.count === 1 ? '' : 's'} (first at line ${malformed.first})\n`,
    );
  }
  if (long.count > 0) {
    io.stderr.write(
      `lambdakit logs: skipped ${long.count} line${long.count === 1 ? '' : 's'} over ${MAX_LOG_LINE_BYTES / 1024 / 1024} MiB (first at line ${long.first})\n`,
    );
  }
  return EXIT_OK;
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
