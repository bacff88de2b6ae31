// The conventions of CONTRIBUTING.md that a test can check, over every package's source and
// public exports: doors named by the scheme, one warning channel, option errors as TypeErrors,
// optional properties that accept undefined, and no long rooms.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script, no declarations; its shape is checked by use.
import { longRooms } from '../scripts/rooms.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const packages = readdirSync(join(root, 'packages'));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !/\.test(-d)?\.ts$/.test(entry.name) ? [path] : [];
  });
}

const sources = packages.flatMap((pkg) =>
  sourceFiles(join(root, 'packages', pkg, 'src')).map((path) => ({
    pkg,
    file: relative(root, path),
    text: readFileSync(path, 'utf8'),
  })),
);

/** Lines of the sources matching `pattern`, as `file:line: text`. */
function linesMatching(pattern: RegExp, skip: (file: string) => boolean = () => false): string[] {
  return sources.flatMap(({ file, text }) =>
    skip(file)
      ? []
      : text.split('\n').flatMap((line, i) => (pattern.test(line) ? [`${file}:${i + 1}: ${line.trim()}`] : [])),
  );
}

// Function doors: the verbs CONTRIBUTING.md lists; middleware, business-logic and payload doors are
// the nouns each package documents. Everything else a package exports is a class (errors), a
// schema (`…Schema`), or a constant (UPPER_CASE).
const DOOR_VERBS =
  /^(create|make|define|load|prefetch|parse|safeParse|process|start|connect|detect|decode|invoke|emit|retry|abortable|flush|register|redact|clear|refresh|guard|propagate|resolve|offload|trace)/;
const NOUN_DOORS: Record<string, readonly string[]> = {
  core: ['lambda', 'timeout', 'retrySettings', 'toLambdaError', 'stdoutDestination'],
  parser: [
    'alb',
    'apigwHttp',
    'apigwRest',
    'cloudwatchLogs',
    'dynamodbStream',
    'eventbridge',
    'firehose',
    'json',
    'kinesis',
    'lambdaUrl',
    's3',
    'sns',
    'snsInSqs',
    'sqs',
    'parse',
    'hasLargePayloads',
    'problemDetails',
    'problemResponse',
    'schemaSource',
  ],
  logger: ['logger', 'correlationIdFrom', 'invocationLogger'],
  config: ['config', 'ssm', 'ssmExtension', 'secrets', 'encryptedEnv', 'isAuthFailure'],
  idempotency: ['idempotent', 'idempotentRecord', 'dynamoDbStore', 'memoryStore'],
  batch: ['batch'],
  // callDepth(): the invocation's depth, read as a value, like ctx's fields.
  resilience: [
    'circuitBreaker',
    'concurrencyLimit',
    'dynamoDbStateStore',
    'memoryStateStore',
    'recursionGuard',
    'callDepth',
  ],
  metrics: ['metrics', 'isMetricUnit'],
  tracer: ['tracer', 'xrayDaemonExporter'],
  // http(): the app (business logic); json(), text(), stream(), …: the responses a route returns;
  // streaming(handler): the same handler, response-streaming.
  http: ['http', 'json', 'text', 'binary', 'empty', 'problem', 'stream', 'streaming', 'gatewayTimeout'],
  testing: ['sampleEvent'],
  // durable(fn): the business logic of a durable function.
  durable: ['durable'],
};

describe('conventions', () => {
  it.each(packages.filter((pkg) => pkg !== 'cli'))('@lambdakit/%s exports doors named by the scheme', async (pkg) => {
    const module = (await import(`@lambdakit/${pkg}`)) as Record<string, unknown>;
    const misnamed = Object.entries(module)
      .filter(([, value]) => typeof value === 'function')
      .map(([name]) => name)
      .filter(
        (name) =>
          !/^[A-Z]/.test(name) && // classes and schemas
          !DOOR_VERBS.test(name) &&
          !(NOUN_DOORS[pkg] ?? []).includes(name),
      );
    expect(misnamed).toEqual([]);
  });

  it('every exported class is an error extending LambdakitError, or a schema', async () => {
    const { LambdakitError } = await import('@lambdakit/core');
    const strays: string[] = [];
    for (const pkg of packages.filter((p) => p !== 'cli')) {
      const module = (await import(`@lambdakit/${pkg}`)) as Record<string, unknown>;
      for (const [name, value] of Object.entries(module)) {
        if (typeof value !== 'function' || !/^[A-Z]\w*Error$/.test(name)) continue;
        if (!(value.prototype instanceof LambdakitError) && value !== LambdakitError) strays.push(`${pkg}: ${name}`);
      }
    }
    expect(strays).toEqual([]);
  });

  it('warnings leave by one channel: core emitWarning, never process.emitWarning or console.warn', () => {
    const elsewhere = linesMatching(
      /process\.emitWarning\(|console\.warn\(/,
      // The channel itself, and the CLI, whose stderr is its output (and the runtime's own notices it reproduces).
      (file) => file === 'packages/core/src/emit-warning.ts' || file.startsWith('packages/cli/'),
    );
    expect(elsewhere).toEqual([]);
  });

  it('a bad option is a TypeError, never a RangeError', () => {
    // isoTimestamp mirrors Date#toISOString, which throws RangeError for an invalid time value.
    expect(linesMatching(/new RangeError\(/, (file) => file === 'packages/logger/src/iso-timestamp.ts')).toEqual([]);
  });

  it('every optional property of an exported options type accepts undefined', () => {
    const missing: string[] = [];
    // The CLI's options types are its own, not a package API.
    for (const { pkg, file, text } of sources) {
      if (pkg === 'cli') continue;
      for (const block of text.matchAll(/export interface \w*Options\b[^{]*\{([\s\S]*?)\n\}/g)) {
        const body = block[1] ?? '';
        // One property a statement: from `name?:` to the `;` that ends it at depth 0.
        for (const property of body.matchAll(/^ {2}(?:readonly )?(\w+)\?:([\s\S]*?);$/gm)) {
          if (!/\|\s*undefined\s*$|^\s*unknown\s*$/.test(property[2] ?? '')) missing.push(`${file}: ${property[1]}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it('no source file over 300 lines and no function over 60 in packages/*/src', () => {
    const rooms = (longRooms() as { file: string; what: string; lines: number }[]).map(
      (room) => `${room.file}: ${room.what}, ${room.lines} lines`,
    );
    expect(rooms).toEqual([]);
  });
});
