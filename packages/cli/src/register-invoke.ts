import { type Command, Option } from 'commander';
import { type InvokeCommandOptions, invokeCommand } from './invoke-command.js';
import { collect, integer, positive } from './option-parsers.js';
import type { CliIo } from './run-cli.js';
import { DEFAULT_RUNTIME, LAMBDA_RUNTIMES } from './runtime/runtime-generation.js';

const EXAMPLES = `
Examples:
  $ lambdakit invoke dist/handler.js --event events/order.json > result.json
  $ lambdakit events sqs --set Records.0.body='{"id":1}' | lambdakit invoke dist/handler.js --event -
  $ lambdakit invoke dist/handler.js --event-source sqs --repeat 3 --timeout 10
  $ lambdakit invoke dist/handler.js#main --async --dlq-dir .lambdakit/dlq
  $ lambdakit invoke dist/handler.js --local-aws --params params.json --secrets secrets.json --tables tables.json
  $ lambdakit invoke dist/handler.js --runtime nodejs22.x --runtime-client aws
  $ lambdakit invoke dist/handler.js --local-aws --trace --trace-out spans.json
  $ lambdakit invoke dist/workflow.js --durable --event order.json --callback payment='{"paid":true}'

stdout: one response payload (JSON) per invocation; stderr: the function's logs and START/END/REPORT.
Exit codes: 0 every invocation succeeded, 1 an invocation failed or timed out, 2 bad usage.`;

/** Adds `lambdakit invoke <module>` to the program: its options (in the order help lists them), help and action. */
export function registerInvoke(program: Command, io: CliIo, setExitCode: (code: number) => void): void {
  const command = program
    .command('invoke')
    .description(
      'Run a handler in a sandbox process as Lambda would: environment, context, deadline, REPORT lines, error shape',
    )
    .argument('<module>', 'the handler: a .js/.mjs/.cjs file relative to the current directory, optionally #export');
  for (const addOptions of [
    eventOptions,
    functionOptions,
    repeatOptions,
    asyncOptions,
    localAwsOptions,
    runtimeOptions,
    traceOptions,
    durableOptions,
  ]) {
    addOptions(command);
  }
  command.addHelpText('after', EXAMPLES).action(async (target: string, options: InvokeCommandOptions) => {
    setExitCode(await invokeCommand(target, options, io));
  });
}

/** The event to invoke with. */
function eventOptions(command: Command): void {
  command
    .option('-e, --event <file>', 'the event: a JSON file, or - to read it from stdin (default: {})')
    .option(
      '-s, --event-source <source>',
      'use a generated sample event of this source (see `lambdakit events --list`)',
    );
}

/** The function's configuration: timeout, memory, name, ARN, environment. */
function functionOptions(command: Command): void {
  command
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
    .option('--env-file <file>', 'function environment variables from a dotenv file (KEY=value lines)');
}

/** How many invocations, in a row and at once. */
function repeatOptions(command: Command): void {
  command
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
    );
}

/** An asynchronous invocation: Lambda's retries and the dead-letter directory. */
function asyncOptions(command: Command): void {
  command
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
    .option('--dlq-dir <dir>', 'with --async: where events whose retries are exhausted are written', '.lambdakit/dlq');
}

/** Local DynamoDB, SSM, Secrets Manager and KMS, and what to seed them with. */
function localAwsOptions(command: Command): void {
  command
    .option(
      '--local-aws',
      'start local DynamoDB (dynalite), SSM, Secrets Manager, KMS, SQS, SNS, EventBridge and S3, and point the function at them',
      false,
    )
    .option('--params <file>', 'with --local-aws: SSM parameters to create (JSON)')
    .option('--secrets <file>', 'with --local-aws: Secrets Manager secrets to create (JSON: name → text or object)')
    .option('--tables <file>', 'with --local-aws: DynamoDB tables to create (JSON)')
    .option(
      '--payloads <dir>',
      'with --local-aws: S3 objects to create, a folder per bucket (default: .lambdakit/payloads, where lambdakit events --large-body writes, if present)',
    );
}

/** The runtime: its log format, what its context carries, whose behaviour and which runtime client. */
function runtimeOptions(command: Command): void {
  command
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
    );
}

/** Tracing: a local X-Ray daemon, each invocation's waterfall, the spans as OTLP/JSON. */
function traceOptions(command: Command): void {
  command
    .option(
      '--trace',
      'trace each invocation as Lambda with active tracing does (a sampled X-Ray header, AWS_XRAY_DAEMON_ADDRESS to a local daemon) and print its spans as a waterfall',
      false,
    )
    .option('--trace-out <file>', 'write the run’s spans to this file as OTLP/JSON (implies --trace)');
}

/** A durable function: one execution through AWS's local runner, its time and its callbacks. */
function durableOptions(command: Command): void {
  command
    .option(
      '--durable',
      "run one durable execution through AWS's local runner (@aws/durable-execution-sdk-js-testing): each invocation in the sandbox, then each operation with its status and duration",
      false,
    )
    .option(
      '--real-time',
      'with --durable: waits, retry delays and callback timeouts take their time (default: skipped)',
      false,
    )
    .option(
      '--callback <name=json>',
      'with --durable: complete the callback of this name with this JSON result (repeatable)',
      collect,
      [],
    )
    .option(
      '--callback-failure <name=message>',
      'with --durable: fail the callback of this name (repeatable)',
      collect,
      [],
    )
    .option(
      '--callbacks <file>',
      'with --durable: callback answers from a JSON file: { "name": { "result": … } | { "error": "message" } }',
    );
}
