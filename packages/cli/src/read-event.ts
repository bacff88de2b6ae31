import { readFile } from 'node:fs/promises';
import { CliError } from './cli-error.js';
import { parseJson, withoutBom } from './parse-json.js';
import { loadTesting } from './testing-exports.js';

/** Where the event of `lambdakit invoke` comes from. */
export interface EventInput {
  /** A JSON file, or `-` for stdin. */
  event?: string;
  /** A source key of the sample-event registry (`sqs`, `apigw-v2`, …). */
  eventSource?: string;
}

/** An event to invoke with: its value, and the JSON text Lambda passes the runtime byte for byte. */
export interface EventPayload {
  value: unknown;
  text: string;
}

/** Reads the event: a JSON file, stdin (`-`), a generated sample, or `{}` when none is given. */
export async function readEvent(
  input: EventInput,
  stdin: NodeJS.ReadableStream = process.stdin,
): Promise<EventPayload> {
  if (input.event !== undefined && input.eventSource !== undefined) {
    throw new CliError('CLI_USAGE', '--event and --event-source are exclusive: give one');
  }
  if (input.eventSource !== undefined) {
    const value = await sample(input.eventSource);
    return { value, text: JSON.stringify(value) };
  }
  if (input.event === undefined) return { value: {}, text: '{}' };
  if (input.event === '-') {
    const text = withoutBom(await readAll(stdin));
    return { value: parseJson(text, 'stdin'), text };
  }
  let text: string;
  try {
    text = await readFile(input.event, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : String(code ?? error);
    throw new CliError('CLI_INVALID_INPUT', `--event ${input.event}: cannot read it (${why})`, {
      file: input.event,
      cause: error,
    });
  }
  text = withoutBom(text);
  return { value: parseJson(text, input.event), text };
}

/** Builds a sample event for `source`, or throws a {@link CliError} listing the known sources. */
export async function sample(source: string, records?: number): Promise<unknown> {
  const { eventSources, sampleEvent } = await loadTesting();
  const known = eventSources.find((name) => name === source);
  if (known === undefined) {
    throw new CliError('CLI_USAGE', `unknown event source "${source}"; known sources: ${eventSources.join(', ')}`);
  }
  return sampleEvent(known, records === undefined ? {} : { records });
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}
