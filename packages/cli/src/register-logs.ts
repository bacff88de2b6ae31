import type { Command } from 'commander';
import { CliError } from './cli-error.js';
import { type LogsCommandOptions, logsCommand } from './logs-command.js';
import type { CliIo } from './run-cli.js';

/** `lambdakit logs`'s options as commander parses them. */
interface LogsFlags extends Omit<LogsCommandOptions, 'format' | 'color'> {
  json?: boolean;
  pretty?: boolean;
  /** `false` with `--no-color`. */
  color: boolean;
}

/** Adds `lambdakit logs [file]` to the program: its options, help and action. */
export function registerLogs(program: Command, io: CliIo, setExitCode: (code: number) => void): void {
  program
    .command('logs')
    .description('Filter lambdakit / CloudWatch JSON log lines (and Lambda text-format lines)')
    .argument('[file]', 'a log file, or - for stdin (default: stdin)')
    .option('-l, --level <level>', 'that level and above: trace, debug, info, warn, error, fatal (or pino numbers)')
    .option('--since <time>', 'from this time: HH:MM[:SS] (UTC, on each line’s date) or an ISO timestamp')
    .option('--until <time>', 'up to this time, inclusive: HH:MM[:SS] or an ISO timestamp')
    .option('--request-id <id>', 'only lines of this invocation')
    .option('-g, --grep <regex>', 'only lines matching this regular expression')
    .option('-i, --ignore-case', 'with --grep: ignore case', false)
    .option('--json', 'print JSON lines (the default when stdout is not a terminal)')
    .option('--pretty', 'print aligned, readable lines (the default on a terminal)')
    .option('--no-color', 'no colors in pretty output')
    .addHelpText(
      'after',
      `
Examples:
  $ lambdakit logs function.log --level warn --since 09:12 --until 09:15
  $ lambdakit invoke dist/handler.js 2>&1 >/dev/null | lambdakit logs --request-id <id>
  $ aws logs tail /aws/lambda/orders --since 1h | lambdakit logs --grep timeout -i`,
    )
    .action(async (file: string | undefined, flags: LogsFlags) => {
      setExitCode(await logsCommand(file, logsOptions(flags), io));
    });
}

/** The flags as `logsCommand` takes them: `--json`/`--pretty` as a format, `--no-color` as `color: false`. */
function logsOptions(flags: LogsFlags): LogsCommandOptions {
  if (flags.json && flags.pretty) throw new CliError('CLI_USAGE', '--json and --pretty are exclusive');
  const format = flags.json ? 'json' : flags.pretty ? 'pretty' : undefined;
  const { json: _json, pretty: _pretty, color, ...filters } = flags;
  return { ...filters, ...(format === undefined ? {} : { format }), ...(color === false ? { color: false } : {}) };
}
