import { CliError, EXIT_OK } from './cli-error.js';
import { sample } from './read-event.js';
import { setPath } from './set-path.js';
import { loadTesting, type Testing } from './testing-exports.js';

/** Options of `lambdakit events`. */
export interface EventsCommandOptions {
  set: string[];
  records?: number;
  list: boolean;
  compact: boolean;
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
    if (source !== undefined) throw new CliError('--list takes no source');
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
        `--records: a ${source} event is not a batch; sources that take records: ${batches.join(', ')}`,
      );
    }
  }
  for (const assignment of options.set) {
    if (event === null || typeof event !== 'object') throw new CliError(`--set: the ${source} event is not an object`);
    setPath(event as Record<string, unknown>, assignment);
  }
  stdout.write(`${JSON.stringify(event, null, options.compact ? undefined : 2)}\n`);
  return EXIT_OK;
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
