import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { CliError, EXIT_OK } from './cli-error.js';
import { type LogFilterOptions, logFilter } from './log-filter.js';
import { type LogRecord, levelLabel, parseLogLine } from './log-record.js';

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
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  let lineNumber = 0;
  let malformed = 0;
  let firstMalformed = 0;
  for await (const line of lines) {
    lineNumber++;
    const record = parseLogLine(line);
    if (record === null) continue;
    if (record === undefined) {
      malformed++;
      if (firstMalformed === 0) firstMalformed = lineNumber;
      continue;
    }
    if (!keep(record)) continue;
    const out = format === 'pretty' ? pretty(record, color) : jsonLine(record);
    if (closed) break;
    if (!io.stdout.write(`${out}\n`)) await Promise.race([once(io.stdout, 'drain'), once(io.stdout, 'close')]);
    if (closed) break;
  }
  lines.close();
  if (malformed > 0) {
    io.stderr.write(
      `lambdakit logs: skipped ${malformed} malformed line${malformed === 1 ? '' : 's'} (first at line ${firstMalformed})\n`,
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
    paint(DIM, record.requestId === undefined ? '-'.padEnd(8) : record.requestId.slice(0, 8)),
  ];
  let rest = '';
  if (record.fields !== undefined) {
    const extra = Object.entries(record.fields).filter(([key]) => !SHOWN.has(key));
    if (extra.length > 0) rest = ` ${paint(DIM, JSON.stringify(Object.fromEntries(extra)))}`;
  }
  return `${head.join(' ')} ${record.message ?? ''}${rest}`;
}
