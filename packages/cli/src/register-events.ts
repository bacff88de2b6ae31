import { type Command, Option } from 'commander';
import { eventsCommand } from './events-command.js';
import { collect, integer, size } from './option-parsers.js';
import type { CliIo } from './run-cli.js';

/** Adds `lambdakit events [source]` to the program: its options, help and action. */
export function registerEvents(program: Command, io: CliIo, setExitCode: (code: number) => void): void {
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
    .addOption(
      new Option(
        '--large-body <size>',
        "sqs, sns: record 0's body this large (300KB, 2MB), in S3 as the extended clients keep it: the event carries the pointer",
      ).argParser(size(256 * 1024 * 1024)),
    )
    .option(
      '--payload-dir <dir>',
      'with --large-body: where the payload is written (lambdakit invoke --local-aws serves it)',
      '.lambdakit/payloads',
    )
    .option('--bucket <name>', 'with --large-body: the bucket the pointer names', 'lambdakit-payloads')
    .option('--list', 'list the sources', false)
    .option('--compact', 'print the event on one line', false)
    .addHelpText(
      'after',
      `
Examples:
  $ lambdakit events --list
  $ lambdakit events sqs --records 3 --set Records.0.body='{"orderId":"o-1"}' > events/orders.json
  $ lambdakit events eventbridge --set detail-type=OrderPlaced --set detail.total=42
  $ lambdakit events sqs --records 3 --large-body 2MB > events/large.json`,
    )
    .action(async (source: string | undefined, options) => {
      setExitCode(await eventsCommand(source, options, io.stdout));
    });
}
