import { createHash } from 'node:crypto';
import { CliError, EXIT_OK } from './cli-error.js';
import { moveBodyToS3 } from './large-body.js';
import { sample } from './read-event.js';
import { setPath } from './set-path.js';
import { loadTesting, type Testing } from './testing-exports.js';

/** Options of `lambdakit events`. */
export interface EventsCommandOptions {
  set: string[];
  records?: number;
  list: boolean;
  compact: boolean;
  /** `--large-body`: record 0's body, this many bytes, kept in the local S3's seed folder. */
  largeBody?: number;
  payloadDir: string;
  bucket: string;
}

/**
 * `lambdakit events <source>`: prints a sample event of that source (as @lambdakit/testing's
 * `sampleEvent` builds it), with `--set` assignments applied; without a source, lists them.
 */
export async function eventsCommand(
  source: string | undefined,
  options: EventsCommandOptions,
  stdout: NodeJS.WritableStream,
): Promise<number> {
  if (source === undefined || options.list) {
    if (source !== undefined) throw new CliError('CLI_USAGE', '--list takes no source');
    const { eventSources: sources } = await loadTesting();
    stdout.write(`${[...sources].join('\n')}\n`);
    return EXIT_OK;
  }
  const event = await sample(source, options.records);
  if (options.records !== undefined) {
    const testing = await loadTesting();
    if (!takesRecords(testing, source)) {
      const batches = testing.eventSources.filter((name) => takesRecords(testing, name));
      throw new CliError(
        'CLI_USAGE',
        `--records: ${source} events are not batches; the sources that take records: ${batches.join(', ')}`,
      );
    }
  }
  for (const assignment of options.set) {
    if (event === null || typeof event !== 'object')
      throw new CliError('CLI_USAGE', `--set: the ${source} event is not an object`);
    setPath(event as Record<string, unknown>, assignment);
  }
  if (source === 'sqs' && options.set.length > 0) matchBodyDigests(event);
  if (options.largeBody !== undefined) {
    await moveBodyToS3(source, event, {
      bytes: options.largeBody,
      payloadDir: options.payloadDir,
      bucket: options.bucket,
    });
  }
  stdout.write(`${JSON.stringify(event, null, options.compact ? undefined : 2)}\n`);
  return EXIT_OK;
}

/**
 * SQS gives each message the MD5 digest of its body (`md5OfBody`, hex): after `--set` changed a
 * body, its digest follows, so the event stays one SQS could have sent.
 */
function matchBodyDigests(event: unknown): void {
  const records = (event as { Records?: unknown }).Records;
  if (!Array.isArray(records)) return;
  for (const record of records) {
    if (record === null || typeof record !== 'object') continue;
    const message = record as { body?: unknown; md5OfBody?: unknown };
    if (typeof message.body === 'string') message.md5OfBody = createHash('md5').update(message.body).digest('hex');
  }
}

/**
 * True when `source`'s event is a batch. @lambdakit/testing ignores the record count of a
 * single-event source, so a batch source is one whose sample changes with the count.
 */
function takesRecords({ eventSources, sampleEvent }: Testing, source: string): boolean {
  const known = eventSources.find((name) => name === source);
  if (known === undefined) return false;
  return JSON.stringify(sampleEvent(known, { records: 1 })) !== JSON.stringify(sampleEvent(known, { records: 2 }));
}
