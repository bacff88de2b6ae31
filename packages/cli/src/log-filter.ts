import { CliError } from './cli-error.js';
import { type LogRecord, parseLevel } from './log-record.js';

/** What `lambdakit logs` keeps. Every criterion given must match. */
export interface LogFilterOptions {
  level?: string;
  since?: string;
  until?: string;
  requestId?: string;
  grep?: string;
  ignoreCase?: boolean;
}

/** A bound of the time window: a time of day (UTC, on each line's own date) or an instant. */
type TimeBound = { kind: 'clock'; msOfDay: number } | { kind: 'instant'; ms: number };

const DAY_MS = 86_400_000;
const CLOCK = /^(\d{1,2}):(\d{2})(?::(\d{2})(\.\d{1,3})?)?$/;

/**
 * Reads `--since`/`--until`: `HH:MM[:SS[.mmm]]` (UTC, compared with the time of day of each
 * line, so it works across a multi-day file), an ISO date (the whole day) or an ISO timestamp.
 * An `--until` bound includes the whole minute or second it names.
 */
export function parseTimeBound(text: string, option: '--since' | '--until'): TimeBound {
  const clock = CLOCK.exec(text.trim());
  if (clock !== null) {
    const [, h, m, s, fraction] = clock;
    const hours = Number(h);
    const minutes = Number(m);
    const seconds = s === undefined ? 0 : Number(s);
    if (hours > 23 || minutes > 59 || seconds > 59)
      throw new CliError('CLI_USAGE', `${option} ${text}: not a time of day`);
    let ms = ((hours * 60 + minutes) * 60 + seconds) * 1000 + (fraction === undefined ? 0 : Number(fraction) * 1000);
    if (option === '--until') ms += s === undefined ? 59_999 : fraction === undefined ? 999 : 0;
    return { kind: 'clock', msOfDay: Math.round(ms) };
  }
  if (/^\d{4}-\d{2}-\d{2}$/.test(text.trim())) {
    const start = Date.parse(`${text.trim()}T00:00:00Z`);
    if (!Number.isNaN(start)) return { kind: 'instant', ms: option === '--until' ? start + DAY_MS - 1 : start };
  }
  if (/^\d{4}-\d{2}-\d{2}T/.test(text.trim())) {
    const ms = Date.parse(text.trim());
    if (!Number.isNaN(ms)) return { kind: 'instant', ms };
  }
  throw new CliError(
    'CLI_USAGE',
    `${option} ${text}: expected HH:MM, HH:MM:SS or an ISO timestamp such as 2025-01-31T09:12:00Z`,
  );
}

/** Builds the predicate `lambdakit logs` applies to each record; throws on an invalid option. */
export function logFilter(options: LogFilterOptions): (record: LogRecord) => boolean {
  const checks: Array<(record: LogRecord) => boolean> = [];
  if (options.level !== undefined) {
    const minimum = parseLevel(options.level);
    if (minimum === undefined) {
      throw new CliError(
        'CLI_USAGE',
        `--level ${options.level}: expected trace, debug, info, warn, error, fatal or a pino number`,
      );
    }
    checks.push((record) => record.level !== undefined && record.level >= minimum);
  }
  const since = options.since === undefined ? undefined : parseTimeBound(options.since, '--since');
  const until = options.until === undefined ? undefined : parseTimeBound(options.until, '--until');
  if (since !== undefined || until !== undefined) checks.push(timeWindow(since, until));
  if (options.requestId !== undefined) {
    const wanted = options.requestId;
    checks.push((record) => record.requestId === wanted);
  }
  if (options.grep !== undefined) {
    let pattern: RegExp;
    try {
      pattern = new RegExp(options.grep, options.ignoreCase ? 'i' : '');
    } catch (error) {
      throw new CliError('CLI_USAGE', `--grep ${options.grep}: ${(error as Error).message}`);
    }
    checks.push((record) => pattern.test(record.raw));
  }
  return (record) => checks.every((check) => check(record));
}

function timeWindow(since: TimeBound | undefined, until: TimeBound | undefined): (record: LogRecord) => boolean {
  // "--since 23:50 --until 00:10" spans midnight: a time of day after since OR before until.
  const wraps = since?.kind === 'clock' && until?.kind === 'clock' && since.msOfDay > until.msOfDay;
  return (record) => {
    if (record.time === undefined) return false;
    const time = record.time;
    const msOfDay = ((time % DAY_MS) + DAY_MS) % DAY_MS;
    const after = (bound: TimeBound) => (bound.kind === 'clock' ? msOfDay >= bound.msOfDay : time >= bound.ms);
    const before = (bound: TimeBound) => (bound.kind === 'clock' ? msOfDay <= bound.msOfDay : time <= bound.ms);
    if (wraps) return after(since!) || before(until!);
    return (since === undefined || after(since)) && (until === undefined || before(until));
  };
}
