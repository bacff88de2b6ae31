import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { CliError, EXIT_OK } from './cli-error.js';
import { formatLogRecord, type LogRecordFormat } from './format-log-record.js';
import { type LogFilterOptions, logFilter } from './log-filter.js';
import { type LogRecord, parseLogLine } from './log-record.js';
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

/** Lines skipped for one reason: how many, and the number of the first. */
interface Skipped {
  count: number;
  first: number;
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
  const input = await openInput(file, io);
  let closed = false;
  io.stdout.on('error', () => {
    // The reader went away (`| head`: EPIPE): stop quietly, as Unix filters do.
    closed = true;
  });
  let lineNumber = 0;
  const malformed: Skipped = { count: 0, first: 0 };
  const long: Skipped = { count: 0, first: 0 };
  const note = (tally: Skipped) => {
    tally.count++;
    if (tally.first === 0) tally.first = lineNumber;
  };
  for await (const line of readLines(input as AsyncIterable<Buffer | string>, MAX_LOG_LINE_BYTES)) {
    lineNumber++;
    if (typeof line !== 'string') {
      note(long);
      continue;
    }
    const out = outputLine(line, keep, { format, color });
    if (out === undefined) note(malformed);
    if (out === undefined || out === null) continue;
    if (closed) break;
    if (!io.stdout.write(`${out}\n`)) await Promise.race([once(io.stdout, 'drain'), once(io.stdout, 'close')]);
    if (closed) break;
  }
  reportSkipped(io.stderr, malformed, long);
  return EXIT_OK;
}

/** The input: the file, or stdin for `-` (and without a file, unless stdin is a terminal). */
async function openInput(file: string | undefined, io: LogsIo): Promise<NodeJS.ReadableStream> {
  if (file === undefined || file === '-') {
    if (file === undefined && io.stdin.isTTY)
      throw new CliError('CLI_USAGE', 'no input: give a log file, or pipe lines in (…| lambdakit logs)');
    return io.stdin;
  }
  const info = await stat(file).catch((error: NodeJS.ErrnoException) => {
    throw new CliError(
      'CLI_INVALID_INPUT',
      `${file}: cannot read it (${error.code === 'ENOENT' ? 'no such file' : error.code})`,
      { file },
    );
  });
  if (!info.isFile() && !info.isFIFO()) throw new CliError('CLI_INVALID_INPUT', `${file}: not a file`, { file });
  return createReadStream(file);
}

/** A line as printed when kept; `null` when it is blank or filtered out; `undefined` when malformed. */
function outputLine(
  line: string,
  keep: (record: LogRecord) => boolean,
  format: LogRecordFormat,
): string | null | undefined {
  try {
    const record = parseLogLine(line);
    if (record === null || record === undefined) return record;
    return keep(record) ? formatLogRecord(record, format) : null;
  } catch {
    // Whatever a line holds, it costs that line only: the rest of the input is still read.
    return undefined;
  }
}

function reportSkipped(stderr: NodeJS.WritableStream, malformed: Skipped, long: Skipped): void {
  if (malformed.count > 0) {
    stderr.write(
      `lambdakit logs: skipped ${malformed.count} malformed line${malformed.count === 1 ? '' : 's'} (first at line ${malformed.first})\n`,
    );
  }
  if (long.count > 0) {
    stderr.write(
      `lambdakit logs: skipped ${long.count} line${long.count === 1 ? '' : 's'} over ${MAX_LOG_LINE_BYTES / 1024 / 1024} MiB (first at line ${long.first})\n`,
    );
  }
}
