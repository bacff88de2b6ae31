// Every README's copy-paste example runs as written: the TypeScript blocks that open with a file
// name comment (`// handler.ts`) are written out as those files and run, each with an event and
// the local servers it needs; the CLI README's shell block runs in bash.
import { execFile } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { LambdaContext } from '@lambdakit/core';
import { createContext, invoke, invokeStream, type LocalAws, sampleEvent, startLocalAws } from '@lambdakit/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
// A folder of its own, as a user's app: its node_modules is the repository's, so the examples'
// imports resolve to the workspace packages, and no repository config (vitest's) is found above it.
const workDir = mkdtempSync(join(tmpdir(), 'lambdakit-readme-'));
symlinkSync(join(root, 'node_modules'), join(workDir, 'node_modules'), 'dir');

/** The `// name.ts` blocks of a README, by file name. */
function exampleFiles(readme: string): Map<string, string> {
  const text = readFileSync(join(root, readme), 'utf8');
  const files = new Map<string, string>();
  for (const match of text.matchAll(/^```ts\n\/\/ ([\w.-]+\.ts)\n([\s\S]*?)^```$/gm)) {
    files.set(match[1]!, match[2]!);
  }
  return files;
}

/** Writes a README's example files into a folder of their own and returns it. */
function writeExample(readme: string): string {
  const files = exampleFiles(readme);
  expect([...files.keys()], `${readme} opens with a // handler.ts example`).toContain(
    files.has('handler.ts') ? 'handler.ts' : '(none)',
  );
  const dir = join(workDir, readme.replace(/\/?README\.md$/, '').replaceAll('/', '-') || 'root');
  mkdirSync(dir, { recursive: true });
  for (const [name, code] of files) writeFileSync(join(dir, name), code);
  return dir;
}

/** Runs vitest on a README's example folder (its `*.test.ts` block); what it printed. */
async function runTestFile(dir: string): Promise<string> {
  const run = await promisify(execFile)(
    process.execPath,
    [join(root, 'node_modules/vitest/vitest.mjs'), 'run', '--root', dir],
    { cwd: dir, env: cleanEnv() },
  ).catch((error: { stdout: string; stderr: string }) => error);
  return run.stdout + run.stderr;
}

type Handler = (event: any, context: LambdaContext) => Promise<unknown>;
const load = async (dir: string, file = 'handler.ts') => (await import(join(dir, file))) as Record<string, Handler>;
const orders = (...bodies: object[]) => {
  const event = sampleEvent('sqs', { records: bodies.length });
  event.Records.forEach((record, i) => {
    record.body = JSON.stringify(bodies[i]);
  });
  return event;
};

let aws: LocalAws;
let prices: ReturnType<typeof createServer>;

beforeAll(async () => {
  aws = await startLocalAws({
    parameters: {
      '/lambdakit/orders/currency': 'EUR',
      '/lambdakit/orders/maxTotal': '1000',
      '/lambdakit/orders/table': 'orders-table',
      '/lambdakit/orders/batchSize': '10',
      '/lambdakit/orders/db/host': 'db.internal',
      '/lambdakit/orders/db/password': { type: 'SecureString', value: 'hunter2' },
      '/lambdakit/orders/allowedOrigins': ['https://a.example', 'https://b.example'],
    },
    tables: [
      { tableName: 'idempotency', partitionKey: 'id', timeToLiveAttribute: 'expiration' },
      { tableName: 'resilience', partitionKey: 'id' },
    ],
  });
  aws.useInThisProcess();
  prices = createServer((_request, response) => response.end('{"eur":1}')).listen(0, '127.0.0.1');
  await new Promise((resolve) => prices.once('listening', resolve));
  process.env.PRICES_URL = `http://127.0.0.1:${(prices.address() as AddressInfo).port}`;
});

afterAll(async () => {
  delete process.env.PRICES_URL;
  await new Promise((resolve) => prices.close(resolve));
  await aws.close();
  rmSync(workDir, { recursive: true, force: true });
});

describe('README examples run as written', { timeout: 60_000 }, () => {
  it('README.md: an SQS batch, config from SSM, idempotent records in DynamoDB', async () => {
    const { handler } = await load(writeExample('README.md'));
    const event = orders({ orderId: 'o-1', total: 10 }, { orderId: 'o-2', total: 5000 });
    const outcome = await invoke(handler!, event, { functionName: 'orders' });
    expect(outcome).toMatchObject({
      ok: true,
      result: { batchItemFailures: [{ itemIdentifier: event.Records[1]!.messageId }] },
    });
  });

  it('packages/batch/README.md', async () => {
    const { handler } = await load(writeExample('packages/batch/README.md'));
    // No logger in this example: the record that failed leaves as a process warning.
    const warnings = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    try {
      const outcome = await invoke(handler!, orders({ orderId: 'o-1', quantity: 2 }, { orderId: 'o-2', quantity: 0 }));
      expect(outcome).toMatchObject({ ok: true, result: { batchItemFailures: [{}] } });
      expect(warnings).toHaveBeenCalledWith(
        expect.stringContaining('Records[1].body.quantity'),
        expect.objectContaining({ type: 'LambdakitWarning', code: 'LAMBDAKIT_BATCH_RECORD_FAILED' }),
      );
    } finally {
      warnings.mockRestore();
    }
  });

  it('packages/cdk/README.md: the stack synthesises with its settings, and without its table says what is missing', async () => {
    const dir = writeExample('packages/cdk/README.md');
    const { App, Stack } = await import('aws-cdk-lib');
    const { LambdakitFunction, resolveLocalRun } = await import('@lambdakit/cdk');
    type StackClass = new (
      scope: InstanceType<typeof App>,
      id: string,
    ) => { orders: InstanceType<typeof LambdakitFunction> };
    const { OrdersStack } = (await import(join(dir, 'stack.ts'))) as { OrdersStack: StackClass };
    const app = new App({ outdir: join(dir, 'cdk.out') });
    const stack = new OrdersStack(app, 'Orders');
    const run = resolveLocalRun(app.synth(), stack.orders);
    expect(run.parameters).toEqual({ [`/lambdakit/${run.functionName}/currency`]: 'EUR' });
    expect(run.tables).toEqual([
      { tableName: expect.stringMatching(/^Idempotency/), partitionKey: 'id', timeToLiveAttribute: 'expiration' },
    ]);
    // The README's error, word for word, from the same handler with no table.
    const shown = readFileSync(join(root, 'packages/cdk/README.md'), 'utf8').match(
      /^ {2}\[Orders\/Orders\] (.*)$/m,
    )?.[1];
    const bareApp = new App({ outdir: join(dir, 'bare.out') });
    const bare = new Stack(bareApp, 'Orders');
    new LambdakitFunction(bare, 'Orders', { entry: join(dir, 'handler.ts'), config: { values: { currency: 'EUR' } } });
    expect(shown).toBeDefined();
    expect(() => bareApp.synth()).toThrow(shown!);
  });

  it('packages/config/README.md', async () => {
    const { handler } = await load(writeExample('packages/config/README.md'));
    const outcome = await invoke(handler!, {}, { functionName: 'orders' });
    expect(outcome).toMatchObject({ ok: true, result: { statusCode: 200, body: 'writing 10 items to orders-table' } });
  });

  it('packages/core/README.md', async () => {
    const { handler } = await load(writeExample('packages/core/README.md'));
    const outcome = await invoke(handler!, {});
    expect(outcome).toMatchObject({ ok: true, result: { statusCode: 200, coldStart: expect.any(Boolean) } });
  });

  it('packages/durable/README.md: its test file passes, through AWS’s local durable runner', async () => {
    expect(await runTestFile(writeExample('packages/durable/README.md'))).toMatch(/1 passed/);
  });

  it('packages/http/README.md: create, read, list, delete, and a 400 with pointers', async () => {
    const { handler } = await load(writeExample('packages/http/README.md'));
    const http = (method: string, path: string, body?: object) => {
      const event = sampleEvent('apigw-http');
      event.rawPath = event.requestContext.http.path = path;
      event.requestContext.http.method = method;
      event.rawQueryString = '';
      event.body = body === undefined ? undefined : JSON.stringify(body);
      return handler!(event, createContext()) as Promise<{ statusCode: number; body: string }>;
    };
    const created = await http('POST', '/orders', { sku: 'A-1', quantity: 2 });
    expect(created.statusCode).toBe(201);
    const { id } = JSON.parse(created.body) as { id: string };
    expect(JSON.parse((await http('GET', `/orders/${id}`)).body)).toEqual({ sku: 'A-1', quantity: 2, id });
    expect(JSON.parse((await http('GET', '/orders')).body)).toHaveLength(1);
    expect((await http('DELETE', `/orders/${id}`)).statusCode).toBe(204);
    expect((await http('GET', `/orders/${id}`)).statusCode).toBe(404);
    const bad = await http('POST', '/orders', { sku: '', quantity: 0 });
    expect(bad.statusCode).toBe(400);
    expect(JSON.parse(bad.body).issues.map((i: { pointer: string }) => i.pointer)).toEqual([
      '/body/sku',
      '/body/quantity',
    ]);
  });

  it('packages/http/README.md: the streamed export, chunk by chunk behind a function URL', async () => {
    const { handler } = await load(writeExample('packages/http/README.md'), 'export.ts');
    const event = sampleEvent('lambda-url');
    event.rawPath = event.requestContext.http.path = '/orders/export';
    event.requestContext.http.method = 'GET';
    const run = await invokeStream(handler as never, event);
    expect(run).toMatchObject({
      ok: true,
      prelude: { statusCode: 200, headers: { 'content-type': 'application/x-ndjson' } },
    });
    expect(run.chunks.map((chunk) => JSON.parse(chunk.bytes.toString()).page)).toEqual([1, 2, 3]);
  });

  it('packages/idempotency/README.md: the second request replays the first one result', async () => {
    const { handler, charge } = await load(writeExample('packages/idempotency/README.md'));
    const event = sampleEvent('apigw-http');
    event.body = JSON.stringify({ paymentId: `p-${Date.now()}`, amount: 42 });
    const first = await invoke(handler!, event);
    const second = await invoke(handler!, event);
    expect(first).toMatchObject({ ok: true, result: { charged: 42 } });
    expect(second).toMatchObject({ ok: true, result: { charged: 42 } });
    await expect(charge!({ paymentId: `c-${Date.now()}`, amount: 7 }, createContext())).resolves.toEqual({
      charged: 7,
    });
  });

  it('packages/resilience/README.md: a call through the breaker and the limiter, and the middleware form', async () => {
    const { handler, guarded } = await load(writeExample('packages/resilience/README.md'));
    expect(await invoke(handler!, {})).toMatchObject({
      ok: true,
      result: { statusCode: 200, body: JSON.stringify({ eur: 1, saved: true }) },
    });
    expect(await invoke(guarded!, {})).toMatchObject({ ok: true, result: { statusCode: 200, body: 'ok' } });
  });

  it('packages/logger/README.md', async () => {
    const { handler } = await load(writeExample('packages/logger/README.md'));
    expect(await invoke(handler!, sampleEvent('sqs', { records: 2 }))).toMatchObject({
      ok: true,
      result: { ok: true },
    });
  });

  it('packages/metrics/README.md', async () => {
    const { handler } = await load(writeExample('packages/metrics/README.md'));
    const outcome = await invoke(handler!, { total: 42, method: 'card' });
    expect(outcome).toMatchObject({ ok: true, result: { statusCode: 201 } });
  });

  it('packages/parser/README.md', async () => {
    const { handler } = await load(writeExample('packages/parser/README.md'));
    expect(await invoke(handler!, orders({ orderId: 'o-1', quantity: 1 }))).toMatchObject({ ok: true });
  });

  it('packages/testing/README.md: its test file passes', async () => {
    expect(await runTestFile(writeExample('packages/testing/README.md'))).toMatch(/1 passed/);
  });

  it('packages/cli/README.md: every command of its first block of invocations', async () => {
    const block = invocationBlock('packages/cli/README.md');
    const dir = join(workDir, 'cli');
    mkdirSync(join(dir, 'dist'), { recursive: true });
    copyFileSync(join(root, 'test/fixtures/greet.mjs'), join(dir, 'dist/handler.js'));
    writeFileSync(join(dir, 'package.json'), '{ "type": "module", "private": true }\n');
    writeFileSync(join(dir, 'params.json'), '{ "/lambdakit/cli/greeting": "Hello" }\n');
    writeFileSync(join(dir, 'tables.json'), '[{ "tableName": "greetings" }]\n');
    writeFileSync(join(dir, 'secrets.json'), '{ "/lambdakit/cli": { "apiKey": "local-api-key-0123456789" } }\n');
    const script = join(dir, 'readme.sh');
    writeFileSync(script, `set -euo pipefail\n${block}`);
    chmodSync(script, 0o755);
    const run = await promisify(execFile)('bash', [script], { cwd: dir, env: shellEnv() });
    expect(JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8'))).toEqual({ message: 'Hello, Ada!' });
    expect(run.stdout).toContain('{"message":"Hello, undefined!"}'); // the sample SQS event has no name
  });

  it('examples/order-workflow/README.md: its local run, through lambdakit invoke --durable', async () => {
    const block = invocationBlock('examples/order-workflow/README.md');
    const run = await promisify(execFile)('bash', ['-c', `set -euo pipefail\n${block}`], {
      cwd: join(root, 'examples/order-workflow'),
      env: shellEnv(),
    });
    expect(JSON.parse(run.stdout)).toEqual({ orderId: 'order-1001', status: 'shipped', shipmentId: 'ship-order-1001' });
    expect(run.stderr).toMatch(/^ {2}STEP +ship +SUCCEEDED/m);
  });
});

/** The first `sh` block of a README that runs `lambdakit invoke`. */
function invocationBlock(readme: string): string {
  const text = readFileSync(join(root, readme), 'utf8');
  const block = [...text.matchAll(/^```sh\n([\s\S]*?)^```$/gm)]
    .map((match) => match[1]!)
    .find((code) => code.includes('lambdakit invoke'));
  if (block === undefined) throw new Error(`${readme} has no sh block running lambdakit invoke`);
  return block;
}

/** A clean shell's environment, with the repository's `node_modules/.bin` (the `lambdakit` command) on the PATH. */
function shellEnv(): NodeJS.ProcessEnv {
  return { ...cleanEnv(), PATH: `${join(root, 'node_modules/.bin')}:${process.env.PATH}` };
}

/** This process's environment without what `useInThisProcess()` set: a child starts from a clean shell. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of [...Object.keys(aws.env), 'PRICES_URL']) delete env[key];
  return env;
}
