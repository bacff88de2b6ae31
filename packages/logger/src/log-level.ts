import { type LoggerDoor, optionError } from './option-error.js';

/** A log level name, in any case (`'debug'`, `'DEBUG'`); `'silent'` writes nothing. */
export type LogLevel = LevelName | Uppercase<LevelName>;

/** pino's level names. */
export type LevelName = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';

/** pino's numeric values for the level names. */
export const LEVEL_VALUES: Readonly<Record<LevelName, number>> = Object.freeze({
  trace: 10,
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  fatal: 60,
  silent: Number.POSITIVE_INFINITY,
});

/** The label written in the `level` field, per pino level name (the names Lambda's JSON log format uses). */
export const LEVEL_LABELS: Readonly<Record<string, string>> = Object.freeze({
  trace: 'TRACE',
  debug: 'DEBUG',
  info: 'INFO',
  warn: 'WARN',
  error: 'ERROR',
  fatal: 'FATAL',
});

/** The pino level name for a level value. */
export function levelName(value: number): LevelName {
  for (const name of Object.keys(LEVEL_VALUES) as LevelName[]) {
    if (LEVEL_VALUES[name] >= value) return name;
  }
  return 'silent';
}

/** Parses a level name in any case; `WARNING` is accepted for `warn`. Undefined when not a level. */
export function parseLevel(raw: unknown): LevelName | undefined {
  if (typeof raw !== 'string') return undefined;
  const name = raw.trim().toLowerCase();
  if (name === 'warning') return 'warn';
  return Object.hasOwn(LEVEL_VALUES, name) ? (name as LevelName) : undefined;
}

/** Where the level came from, for the README's resolution order and the warnings. */
export type LevelSource = 'option' | 'LOG_LEVEL' | 'AWS_LAMBDA_LOG_LEVEL' | 'default';

/** The outcome of {@link resolveLogLevel}. */
export interface ResolvedLevel {
  /** The level lines must reach to be written. */
  readonly level: LevelName;
  readonly source: LevelSource;
  /**
   * The lowest level Lambda itself keeps: with `AWS_LAMBDA_LOG_FORMAT=JSON`, Lambda drops lines whose
   * `level` is below `AWS_LAMBDA_LOG_LEVEL`, so writing (or sampling, or buffering) below it is waste.
   */
  readonly floor: number;
  /** Things worth one WARN line at creation (a bad env value, a level raised to Lambda's floor). */
  readonly warnings: readonly { readonly message: string; readonly fields: Record<string, unknown> }[];
}

/**
 * Resolves the logger's level: the `level` option, then `LOG_LEVEL`, then Lambda's advanced logging
 * controls (`AWS_LAMBDA_LOG_LEVEL`), then `info`. A level below what Lambda keeps is raised to it.
 */
export function resolveLogLevel(
  option: LogLevel | undefined,
  env: Readonly<Record<string, string | undefined>>,
  door: LoggerDoor,
): ResolvedLevel {
  const warnings: { message: string; fields: Record<string, unknown> }[] = [];
  let level: LevelName | undefined;
  let source: LevelSource = 'default';
  if (option !== undefined) {
    level = parseLevel(option);
    if (level === undefined) throw optionError(door, 'level', `"${String(option)}" is not a log level`);
    source = 'option';
  }
  for (const name of ['LOG_LEVEL', 'AWS_LAMBDA_LOG_LEVEL'] as const) {
    if (level !== undefined) break;
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    level = parseLevel(raw);
    if (level !== undefined) source = name;
    else warnings.push({ message: `${name} is not a log level; ignored`, fields: { [name]: raw } });
  }
  level ??= 'info';

  // Lambda advanced logging controls: application log-level filtering applies only to the JSON log
  // format, and then Lambda discards any JSON line whose `level` is below AWS_LAMBDA_LOG_LEVEL.
  let floor = 0;
  const lambdaLevel = parseLevel(env.AWS_LAMBDA_LOG_LEVEL);
  if (env.AWS_LAMBDA_LOG_FORMAT?.toUpperCase() === 'JSON' && lambdaLevel !== undefined) {
    floor = LEVEL_VALUES[lambdaLevel];
    if (LEVEL_VALUES[level] < floor) {
      warnings.push({
        message: `log level ${level} (from ${source}) is below the function's application log level; Lambda would drop those lines, so ${lambdaLevel} is used`,
        fields: { requestedLevel: level, AWS_LAMBDA_LOG_LEVEL: env.AWS_LAMBDA_LOG_LEVEL },
      });
      level = lambdaLevel;
    }
  }
  return { level, source, floor, warnings };
}
