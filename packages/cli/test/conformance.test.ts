// `lambdakit invoke` against AWS's own Node.js runtime interface client (npm `aws-lambda-ric`):
// each case runs the same handler twice through the same local Runtime API, once under
// lambdakit's runtime and once under AWS's (`--runtime-client aws`), and the caller-visible
// answers must be identical: the payload, or the error payload's errorType, errorMessage and trace
// (the function's own frames; the runtimes' internal frames differ by file), the exit code, the
// platform lines and the runtime's own log lines.
//
// The references are built by scripts/build-runtime-clients.sh into a cache outside the repository
// (its manifest: $LAMBDAKIT_RUNTIME_CLIENTS, default ~/.cache/lambdakit/runtime-clients.json).
// Each runtime's cases run in the test run whose Node is that runtime's (CI runs the suite under
// Node 22 and 24). In CI a missing reference fails the suite; elsewhere the suite says how to build it.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { binFile, packageDir } from './spawn-cli.js';

interface Reference {
  node: string;
  nodeVersion: string;
  ric: string;
  ricVersion: string;
}

const manifestFile =
  process.env.LAMBDAKIT_RUNTIME_CLIENTS ?? join(homedir(), '.cache', 'lambdakit', 'runtime-clients.json');
const runtime = process.versions.node.startsWith('22.')
  ? 'nodejs22.x'
  : process.versions.node.startsWith('24.')
    ? 'nodejs24.x'
    : undefined;

/**
 * This run's runtime's reference; `managedInstances` is the 4.x client, which Lambda runs for
 * every runtime under multi-concurrency (nodejs22.x included).
 */
function reference(): (Reference & { managedInstances: string }) | string {
  if (runtime === undefined) return `Node ${process.versions.node} is not a Lambda runtime's Node`;
  if (!existsSync(manifestFile)) return `no runtime references at ${manifestFile}`;
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Record<string, Reference>;
  const entry = manifest[runtime];
  const current = manifest['nodejs24.x'];
  if (entry === undefined || current === undefined) return `${manifestFile} has no reference for ${runtime}`;
  for (const { ric } of [entry, current]) {
    if (!existsSync(join(ric, 'package.json'))) return `aws-lambda-ric is missing at ${ric}`;
  }
  return { ...entry, managedInstances: current.ric };
}

/** One case: a handler, its event and options, and the runtimes it applies to. */
interface Case {
  name: string;
  target: string;
  event?: unknown;
  args?: string[];
  env?: Record<string, string>;
  only?: 'nodejs22.x' | 'nodejs24.x';
}

const h = (name: string) => `test/conformance/handlers.mjs#${name}`;
const cases: Case[] = [
  { name: 'an ES module async handler returning an object', target: h('echo'), event: { orderId: 'o-1', n: [1, 2] } },
  { name: 'the context: keys, their order and types, memory as a string', target: h('context') },
  { name: 'undefined as the result (null)', target: h('returnsUndefined') },
  { name: 'a string result', target: h('returnsString') },
  { name: 'a number result', target: h('returnsNumber') },
  { name: 'a synchronous handler returning a value', target: h('syncReturn'), event: { a: 1 } },
  { name: 'a thenable that is not a Promise', target: h('thenable') },
  { name: 'a result with toJSON()', target: h('withToJson') },
  { name: 'a result with a cycle (cannot be serialised)', target: h('cyclic') },
  { name: 'a result with a BigInt (cannot be serialised)', target: h('bigint') },
  { name: 'a thrown Error', target: h('throwsError') },
  { name: 'a thrown Error with a cause', target: h('throwsWithCause') },
  { name: 'a thrown Error subclass with its own fields', target: h('throwsCustom') },
  { name: 'a thrown string', target: h('throwsString') },
  { name: 'a thrown null', target: h('throwsNull') },
  { name: 'a thrown undefined', target: h('throwsUndefined') },
  { name: 'a thrown plain object', target: h('throwsObject') },
  { name: 'a thrown error-like object', target: h('throwsErrorLike') },
  { name: 'a rejected number', target: h('rejectsNumber') },
  { name: 'a synchronous throw', target: h('syncThrows') },
  { name: 'DEL in an error message', target: h('delInMessage') },
  { name: 'an error whose name is undefined', target: h('nameless') },
  { name: 'an exception thrown from a timer during an invocation', target: h('uncaughtInTimer') },
  { name: 'a promise rejection nobody handles', target: h('unhandledRejection') },
  { name: 'process.exit() in the handler', target: h('exits') },
  { name: 'a promise that never settles, with an empty event loop', target: h('neverSettles') },
  { name: 'a timer still pending when the result is returned', target: h('pendingTimer'), args: ['--repeat', '2'] },
  { name: 'a 5 MB result (under the limit)', target: h('largeResult'), event: { bytes: 5_000_000 } },
  { name: 'a 7 MB result (over the 6 MB limit)', target: h('largeResult'), event: { bytes: 7_000_000 } },
  { name: 'console lines in the text format', target: h('logs') },
  { name: 'console lines in the JSON format', target: h('logs'), args: ['--log-format', 'json'] },
  {
    name: 'console lines under AWS_LAMBDA_LOG_LEVEL=WARN',
    target: h('logs'),
    args: ['--log-format', 'json'],
    env: { AWS_LAMBDA_LOG_LEVEL: 'WARN' },
  },
  { name: 'a nested export (#nested.orders.create)', target: h('nested.orders.create') },
  { name: 'an export that is missing', target: h('nope') },
  { name: 'an export that is not a function', target: h('notAFunction') },
  { name: 'an export that is falsy', target: h('falsy') },
  { name: 'a response-streaming handler', target: h('streamed') },
  { name: 'a streamed HTTP response with a prelude', target: h('streamedHttp') },
  { name: 'a streaming handler that throws', target: h('streamFails') },
  { name: 'a CommonJS handler', target: 'test/conformance/commonjs.cjs' },
  { name: 'a CommonJS module.exports object', target: 'test/conformance/module-exports.cjs' },
  { name: 'a handler under the default export only', target: 'test/conformance/default-export.mjs' },
  { name: 'a syntax error in an ES module', target: 'test/conformance/syntax-error.mjs' },
  { name: 'a syntax error in a CommonJS module', target: 'test/conformance/syntax-error-cjs.cjs' },
  { name: 'an import of a package that is not installed', target: 'test/conformance/missing-package.mjs' },
  { name: 'a require of a module that does not exist', target: 'test/conformance/missing-require.cjs' },
  { name: 'a module that throws while loading', target: 'test/conformance/init-throws.mjs' },
  { name: 'console lines during init and the invocation', target: 'test/conformance/init-logs.mjs' },
  { name: 'a callback handler', target: 'test/conformance/callbacks.cjs#callback', event: { x: 1 } },
  { name: 'a callback handler failing', target: 'test/conformance/callbacks.cjs#callbackError' },
  { name: 'a callback result that waits for the event loop', target: 'test/conformance/callbacks.cjs#callbackWaits' },
  { name: 'callbackWaitsForEmptyEventLoop = false', target: 'test/conformance/callbacks.cjs#callbackNoWait' },
  { name: 'context.succeed', target: 'test/conformance/callbacks.cjs#succeed' },
  { name: 'context.fail', target: 'test/conformance/callbacks.cjs#fail' },
  { name: 'context.done', target: 'test/conformance/callbacks.cjs#done' },
  { name: 'a callback called twice', target: 'test/conformance/callbacks.cjs#callbackTwice' },
  { name: 'an async handler with a third parameter', target: 'test/conformance/callbacks.cjs#asyncWithCallbackParam' },
  { name: 'a warm sandbox: three invocations in a row', target: h('context'), args: ['--repeat', '3'] },
  {
    name: 'multi-concurrency: worker threads, invocations interleaved',
    target: h('concurrent'),
    args: ['--concurrency', '4'],
    env: { AWS_LAMBDA_NODEJS_WORKER_COUNT: '2' },
  },
  {
    name: 'a callback handler under multi-concurrency (refused)',
    target: 'test/conformance/callbacks.cjs#callback',
    args: ['--concurrency', '2'],
    env: { AWS_LAMBDA_NODEJS_WORKER_COUNT: '1' },
  },
];

interface Observed {
  code: number | null;
  payloads: unknown[];
  platform: string[];
  runtimeLines: string[];
}

function runCase(
  ref: Reference & { managedInstances: string },
  item: Case,
  client: 'lambdakit' | 'aws',
): Promise<Observed> {
  const ric = item.args?.includes('--concurrency') ? ref.managedInstances : ref.ric;
  const args = [
    binFile,
    'invoke',
    item.target,
    '--runtime',
    runtime!,
    '--runtime-client',
    client,
    '--event',
    '-',
    ...(item.args ?? []),
  ];
  const child = spawn(ref.node, args, {
    cwd: packageDir,
    env: { ...process.env, LAMBDAKIT_AWS_LAMBDA_RIC: ric, NO_COLOR: '1', ...item.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('latin1').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  child.stdin.end(JSON.stringify(item.event ?? {}));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve(observe(code, stdout, stderr)));
  });
}

/** What a caller and a log reader see, with what differs by run (times, ids, internal frames) taken out. */
function observe(code: number | null, stdout: string, stderr: string): Observed {
  const payloads = stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      try {
        return normalise(JSON.parse(line));
      } catch {
        return line.replace(/\0/g, '\\0');
      }
    })
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  const lines = stderr.split('\n');
  const platform = lines
    .map(
      (line) =>
        /^(START|END|REPORT|INIT_REPORT)\b/.exec(line)?.[1] ?? (/Task timed out/.test(line) ? 'TIMEOUT' : undefined),
    )
    .filter((kind): kind is string => kind !== undefined);
  const initReports = lines
    .filter((line) => line.startsWith('INIT_REPORT'))
    .map((line) => line.replace(/Init Duration: [\d.]+ ms/, ''));
  const statuses = lines
    .filter((line) => line.startsWith('REPORT'))
    .map((line) => /Status: .*$/.exec(line)?.[0] ?? 'ok')
    .sort();
  const runtimeLines = lines
    .filter((line) => /^\d{4}-\d\d-\d\dT|^\{"timestamp"/.test(line))
    .map((line) => normaliseLogLine(line))
    .sort();
  return { code, payloads, platform: [...platform, ...initReports, ...statuses], runtimeLines };
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/** Stack frames of the function's own files are kept; the runtimes' and Node's own differ and go. */
function normaliseTrace(trace: string[]): string[] {
  return trace
    .filter((line) => !/^(\s+at |- )/.test(line) || line.includes('/test/conformance/'))
    .map((line) => line.replace(UUID, '<id>'));
}

function normalise(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return typeof value === 'string' ? value.replace(UUID, '<id>') : value;
  }
  const record = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(record)) {
    if (key === 'trace' && Array.isArray(field)) out[key] = normaliseTrace(field as string[]);
    else if (key === 'errorMessage' && typeof field === 'string') out[key] = normaliseMessage(field);
    else out[key] = normalise(field);
  }
  return out;
}

function normaliseMessage(message: string): string {
  // "Require stack:" lists the loader's own file, which is the runtime's.
  return message.replace(UUID, '<id>').replace(/\nRequire stack:[\s\S]*$/, '\nRequire stack: …');
}

/**
 * The runtime's own error lines (`Invoke Error \t{…}`) carry the error as JSON: its stack keeps the
 * function's frames only, and a `Require stack` in a message names the loader's file.
 */
function normaliseErrorLine(text: string): string {
  const match = /^(Invoke Error|Init Error|Uncaught Exception|Unhandled Promise Rejection) \t(\{.*)$/.exec(text);
  if (match === null) return text.replace(/\r {4}at .*/g, '');
  try {
    return `${match[1]} \t${JSON.stringify(normaliseLogged(JSON.parse(match[2]!)))}`;
  } catch {
    return text;
  }
}

/** A logged error and the errors it holds (a rejection's `reason`), their stacks normalised. */
function normaliseLogged(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    if ((key === 'stack' || key === 'stackTrace') && Array.isArray(field)) out[key] = normaliseTrace(field as string[]);
    else if ((key === 'errorMessage' || key === 'message') && typeof field === 'string')
      out[key] = normaliseMessage(field);
    else if (key === 'requireStack' && Array.isArray(field)) out[key] = ['…'];
    else out[key] = normaliseLogged(field);
  }
  return out;
}

function normaliseLogLine(line: string): string {
  if (line.startsWith('{')) {
    try {
      const record = JSON.parse(line) as Record<string, unknown>;
      delete record.timestamp;
      if (typeof record.message === 'string') record.message = normaliseErrorLine(record.message);
      if (Array.isArray(record.stackTrace)) record.stackTrace = normaliseTrace(record.stackTrace as string[]);
      const message = record.message as Record<string, unknown> | undefined;
      if (message !== null && typeof message === 'object' && Array.isArray(message.stackTrace)) {
        message.stackTrace = normaliseTrace(message.stackTrace as string[]);
      }
      return JSON.stringify(record).replace(UUID, '<id>');
    } catch {
      return line;
    }
  }
  const [, requestId = '', level = '', ...message] = line.split('\t');
  const text = message.join('\t').replace(UUID, '<id>');
  return [requestId.replace(UUID, '<id>'), level, normaliseErrorLine(text)].join('\t');
}

const ref = reference();
const required = process.env.CI === 'true' || process.env.LAMBDAKIT_CONFORMANCE === '1';
const label =
  typeof ref === 'string' ? `(${ref})` : `(${runtime}: aws-lambda-ric ${ref.ricVersion} on Node ${ref.nodeVersion})`;

describe(`lambdakit invoke conforms to AWS's runtime interface client ${label}`, () => {
  if (typeof ref === 'string') {
    // Not this run's runtime (a Node that is neither 22 nor 24): nothing to hold it against here.
    if (runtime === undefined) {
      it.skip(`runs under Node 22 and 24 (CI runs both): ${ref}`, () => undefined);
      return;
    }
    // CI must have built the reference; elsewhere, say how to build it.
    (required ? it : it.skip)(
      `needs AWS's runtime client: bash scripts/build-runtime-clients.sh --install-build-tools (${ref})`,
      () => {
        throw new Error(`conformance reference missing: ${ref}`);
      },
    );
    return;
  }
  for (const item of cases) {
    if (item.only !== undefined && item.only !== runtime) continue;
    it(item.name, { timeout: 60_000 }, async () => {
      const [ours, theirs] = await Promise.all([runCase(ref, item, 'lambdakit'), runCase(ref, item, 'aws')]);
      expect(ours).toEqual(theirs);
    });
  }
});

describe(`lambdakit invoke --runtime-client aws runs the sandbox ${label}`, () => {
  if (typeof ref === 'string') {
    it.skip(`needs AWS's runtime client (${ref})`, () => undefined);
    return;
  }
  const cli = (args: string[], env: Record<string, string> = {}) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(ref.node, [binFile, 'invoke', ...args, '--runtime', runtime!, '--runtime-client', 'aws'], {
        cwd: packageDir,
        env: { ...process.env, LAMBDAKIT_AWS_LAMBDA_RIC: ref.ric, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        stdout += chunk;
      });
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        stderr += chunk;
      });
      child.once('error', reject);
      child.once('close', (code) => resolve({ code, stdout, stderr }));
    });

  it("kills it at the deadline, with Lambda's timeout line and payload", { timeout: 60_000 }, async () => {
    const run = await cli(['test/fixtures/hang.mjs', '--timeout', '1']);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ errorType: 'Sandbox.Timedout' });
    expect(run.stderr).toMatch(/ Task timed out after 1\.00 seconds$/m);
    expect(run.stderr).toMatch(/^REPORT .*\tStatus: timeout$/m);
  });

  it('retries an --async event twice, then writes its dead letter', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lambdakit-ric-dlq-'));
    const run = await cli([
      'test/conformance/handlers.mjs#throwsError',
      '--async',
      '--retry-delay',
      '10',
      '--dlq-dir',
      dir,
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr.match(/^START /gm)).toHaveLength(3);
    const [letter] = readdirSync(dir).filter((name) => name.endsWith('.json'));
    const record = JSON.parse(readFileSync(join(dir, letter!), 'utf8')) as { attempts: unknown[] };
    expect(record.attempts).toHaveLength(3);
  });
});
