import { readFileSync } from 'node:fs';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { CliError, EXIT_FUNCTION_ERROR, EXIT_OK, EXIT_USAGE } from './cli-error.js';
import { eventsCommand } from './events-command.js';
import { type CommandIo, type InvokeCommandOptions, invokeCommand } from './invoke-command.js';
import { logsCommand } from './logs-command.js';
import { DEFAULT_RUNTIME, LAMBDA_RUNTIMES } from './runtime/runtime-generation.js';

/** The streams and directory the CLI works with (the process's own by default). */
export interface CliIo extends CommandIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
}

// dist/run-cli.js sits one level below the package root, in the repository and once installed.
const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string })
  .version;

function integer(min: number, max: number) {
  return (value: string): number => {
    const parsed = Number(value);
    if (!/^\d+$/.test(value.trim()) || parsed < min || parsed > max) {
      throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}`);
    }
    return parsed;
  };
}

function positive(name: string, max: number) {
  return (value: string): number => {
    const parsed = Number(value);
    if (value.trim() === '' || !Number.isFinite(parsed) || parsed <= 0 || parsed > max) {
      throw new InvalidArgumentError(`expected a number of ${name} above 0, at most ${max}`);
    }
    return parsed;
  };
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/**
 * Builds the `lambdakit` command line (commander): `invoke`, `events`, `logs`. Each action
 * stores its exit code through `setExitCode`.
 */
export function createProgram(io: CliIo, setExitCode: (code: number) => void): Command {
  const program = new Command('lambdakit')
    .description('Run, test and inspect AWS Lambda functions locally, with Lambda semantics')
    .version(VERSION)
    .exitOverride()
    .showHelpAfterError('(add --help for usage)')
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      // One prefix for every error the CLI prints: commander's own say `error:`.
      outputError: (text, write) => write(text.replace(/^error: /, 'lambdakit: ')),
    });

  program
    .command('invoke')
    .description(
      'Run a handler in a sandbox process as Lambda would: environment, context, deadline, REPORT lines, error shape',
    )
    .argument('<module>', 'the handler: a .js/.mjs/.cjs file relative to the current directory, optionally #export')
    .option('-e, --event <file>', 'the event: a JSON file, or - to read it from stdin (default: {})')
    .option(
      '-s, --event-source <source>',
      'use a generated sample event of this source (see `lambdakit events --list`)',
    )
    .addOption(
      new Option('-t, --timeout <seconds>', 'the function timeout').default(3).argParser(positive('seconds', 900)),
    )
    .addOption(
      new Option('-m, --memory <mb>', 'the memory size, reported in context and REPORT')
        .default(128)
        .argParser(integer(128, 10240)),
    )
    .option('--function-name <name>', 'the function name (default: the current directory name)')
    .option('-q, --qualifier <qualifier>', 'invoke a version (e.g. 3) or an alias (e.g. live): qualified ARN')
    .option('--region <region>', 'AWS_REGION and the ARN region', 'us-east-1')
    .option('--account-id <id>', 'the account id in the function ARN', '123456789012')
    .option('--env-file <file>', 'function environment variables from a dotenv file (KEY=value lines)')
    .addOption(
      new Option('-n, --repeat <n>', 'invocations in a row in the same sandbox (warm after the first)')
        .default(1)
        .argParser(integer(1, 100000)),
    )
    .addOption(
      new Option(
        '-c, --concurrency <n>',
        'invocations at once in one sandbox, with AWS_LAMBDA_MAX_CONCURRENCY=n (Lambda Managed Instances)',
      ).argParser(integer(1, 1000)),
    )
    .option('--async', 'asynchronous (Event) invocation: retry failures, then write the event to --dlq-dir', false)
    .addOption(
      new Option('--retry-delay <ms>', 'with --async: wait before the first retry (doubled before the second)')
        .default(100)
        .argParser(integer(0, 3_600_000)),
    )
    .addOption(
      new Option('--max-retries <n>', 'with --async: retries after the first attempt (Lambda: 0 to 2)')
        .default(2)
        .argParser(integer(0, 2)),
    )
    .option('--dlq-dir <dir>', 'with --async: where events whose retries are exhausted are written', '.lambdakit/dlq')
    .option('--local-aws', 'start local DynamoDB (dynalite) and SSM, and point the function at them', false)
    .option('--params <file>', 'with --local-aws: SSM parameters to create (JSON)')
    .option('--tables <file>', 'with --local-aws: DynamoDB tables to create (JSON)')
    .addOption(
      new Option('--log-format <format>', "console output format, as Lambda's logging config")
        .choices(['text', 'json'])
        .default('text'),
    )
    .option('--client-context <json>', "the context's clientContext: a JSON object, as a mobile SDK sends it")
    .option('--tenant-id <id>', "the context's tenantId, for a function with tenant isolation")
    .addOption(
      new Option('--runtime <runtime>', 'the Lambda runtime whose behaviour to reproduce (default: the newest)')
        .choices([...LAMBDA_RUNTIMES])
        .default(DEFAULT_RUNTIME),
    )
    .addOption(
      new Option(
        '--runtime-client <client>',
        "run the function under lambdakit's runtime or AWS's own runtime interface client (aws-lambda-ric, installed)",
      )
        .choices(['lambdakit', 'aws'])
        .default('lambdakit'),
    )
    .addHelpText(
      'after',
      `
Examples:
  $ lambdakit invoke dist/handler.js --event events/order.json > result.json
  $ lambdakit events sqs --set Records.0.body='{"id":1}' | lambdakit invoke dist/handler.js --event -
  $ lambdakit invoke dist/handler.js --event-source sqs --repeat 3 --timeout 10
  $ lambdakit invoke dist/handler.js#main --async --dlq-dir .lambdakit/dlq
  $ lambdakit invoke dist/handler.js --local-aws --params params.json --tables tables.json
  $ lambdakit invoke dist/handler.js --runtime nodejs22.x --runtime-client aws

stdout: one response payload (JSON) per invocation; stderr: the function's logs and START/END/REPORT.
Exit codes: 0 every invocation succeeded, 1 an invocation failed or timed out, 2 bad usage.`,
    )
    .action(async (target: string, options: InvokeCommandOptions) => {
      setExitCode(await invokeCommand(target, options, io));
    });

  program
    .command('events')
    .description('Print a sample event of an AWS event source')
    .argument('[source]', 'the event source, e.g. sqs, sns, s3, apigw-http (omit to list them)')
    .option(
      '--set <path=value>',
      'set a field (repeatable): Records.0.body=hello, detail.id=42; JSON values parsed',
      collect,
      [],
    )
    .addOption(new Option('-r, --records <n>', 'records in a batch event').argParser(integer(1, 10000)))
    .option('--list', 'list the sources', false)
    .option('--compact', 'print the event on one line', false)
    .addHelpText(
      'after',
      `
Examples:
  $ lambdakit events --list
  $ lambdakit events sqs --records 3 --set Records.0.body='{"orderId":"o-1"}' > events/orders.json
  $ lambdakit events eventbridge --set detail-type=OrderPlaced --set detail.total=42`,
    )
    .action(async (source: string | undefined, options) => {
      setExitCode(await eventsCommand(source, options, io.stdout));
    });

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
    .action(async (file: string | undefined, options) => {
      if (options.json && options.pretty) throw new CliError('--json and --pretty are exclusive');
      const format = options.json ? 'json' : options.pretty ? 'pretty' : undefined;
      const { json: _json, pretty: _pretty, color, ...filters } = options;
      setExitCode(
        await logsCommand(
          file,
          { ...filters, ...(format === undefined ? {} : { format }), ...(color === false ? { color: false } : {}) },
          io,
        ),
      );
    });

  return program;
}

/**
 * Runs the CLI on `argv` (as `process.argv`: node, script, then arguments) and resolves with
 * the exit code: 0 success, 1 an invocation failed, 2 bad usage. Never throws.
 */
export async function runCli(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  let exitCode = EXIT_OK;
  const program = createProgram(io, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync([...argv]);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.exitCode === 0
        ? EXIT_OK
        : EXIT_USAGE;
    }
    if (error instanceof CliError) {
      io.stderr.write(`lambdakit: ${error.message}\n`);
      return EXIT_USAGE;
    }
    io.stderr.write(
      `lambdakit: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return EXIT_FUNCTION_ERROR;
  }
}

function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, cwd: process.cwd() };
}
