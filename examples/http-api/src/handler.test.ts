import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { TimeoutError } from '@lambdakit/core';
import { memoryStore } from '@lambdakit/idempotency';
import { createLogger } from '@lambdakit/logger';
import { invoke } from '@lambdakit/testing';
import { describe, expect, it } from 'vitest';
import { createApp, type Inventory, type OrderItem, simulatedInventory } from './handler.js';
import { memoryOrders } from './orders.js';

const readEvent = (name: string) =>
  JSON.parse(readFileSync(new URL(`../events/${name}`, import.meta.url), 'utf8')) as Record<string, any>;

/** events/create-order.json with another body (and headers), as API Gateway would send it. */
function request(body: string | undefined, options: { base64?: boolean; headers?: Record<string, string> } = {}) {
  const event = readEvent('create-order.json');
  event.headers = { ...event.headers, ...options.headers };
  if (body === undefined) delete event.body;
  else event.body = options.base64 ? Buffer.from(body).toString('base64') : body;
  event.isBase64Encoded = options.base64 === true;
  return event;
}

/** A handler whose log lines are kept in memory, with an inventory that records its calls. */
function setup(inventory: Inventory = simulatedInventory(0)) {
  const lines: string[] = [];
  const log = createLogger({ destination: { write: (line) => lines.push(line) }, env: {} });
  const calls: { items: readonly OrderItem[]; signal: AbortSignal }[] = [];
  const { handler } = createApp({
    log,
    inventory: {
      reserve: (items, signal) => {
        calls.push({ items, signal });
        return inventory.reserve(items, signal);
      },
    },
    orders: memoryOrders(),
    idempotency: memoryStore(),
  });
  const records = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  return { handler, calls, records };
}

describe('POST /orders', () => {
  it('creates the order in events/create-order.json: 201, a JSON body and its location', async () => {
    const { handler, calls } = setup();
    const outcome = await invoke(handler, readEvent('create-order.json'));
    if (!outcome.ok) throw new Error(outcome.error.errorMessage);
    const order = JSON.parse(outcome.result.body);
    expect(outcome.result).toMatchObject({
      statusCode: 201,
      headers: { 'content-type': 'application/json', location: `/orders/${order.orderId}` },
      isBase64Encoded: false,
    });
    expect(order).toEqual({
      orderId: expect.stringMatching(/^ord_[0-9a-f-]{36}$/),
      status: 'confirmed',
      customerId: 'cus_7Hk2p',
      items: [
        { sku: 'TSHIRT-BLK-M', quantity: 2 },
        { sku: 'MUG-WHT', quantity: 1 },
      ],
      reservationId: expect.stringMatching(/^rsv_/),
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(calls.map((call) => call.items)).toEqual([order.items]);
  });

  it('decodes a base64-encoded body (isBase64Encoded: true) before validating it', async () => {
    const { handler } = setup();
    const body = JSON.stringify({ customerId: 'cus_1', items: [{ sku: 'MUG-WHT', quantity: 3 }] });
    const outcome = await invoke(handler, request(body, { base64: true }));
    expect(outcome).toMatchObject({ ok: true, result: { statusCode: 201 } });
    if (outcome.ok) expect(JSON.parse(outcome.result.body)).toMatchObject({ items: [{ sku: 'MUG-WHT', quantity: 3 }] });
  });
});

describe('an invalid request', () => {
  const cases: [string, ReturnType<typeof request>, string[]][] = [
    [
      'events/invalid-order.json: a string quantity, no customerId',
      readEvent('invalid-order.json'),
      ['/body/customerId', '/body/items/0/quantity'],
    ],
    [
      'a field of the wrong type',
      request('{"customerId":42,"items":[{"sku":"MUG-WHT","quantity":1}]}'),
      ['/body/customerId'],
    ],
    ['a missing field', request('{"customerId":"cus_1"}'), ['/body/items']],
    ['a body that is not JSON', request('{"customerId":"cus_1",'), ['/body']],
    ['no body at all', request(undefined), ['/body']],
    [
      'a base64-encoded body with an invalid line',
      request('{"customerId":"cus_1","items":[{"sku":"mug","quantity":0}]}', { base64: true }),
      ['/body/items/0/quantity', '/body/items/0/sku'],
    ],
    [
      'a body marked base64 that is not base64',
      { ...request('{"customerId":"cus_1"}'), isBase64Encoded: true },
      ['/body'],
    ],
  ];

  it.each(cases)(
    'gets a 400 naming the invalid fields, and never reaches the inventory: %s',
    async (_name, event, pointers) => {
      const { handler, calls } = setup();
      const outcome = await invoke(handler, event);
      if (!outcome.ok) throw new Error(outcome.error.errorMessage);
      expect(outcome.result).toMatchObject({
        statusCode: 400,
        headers: { 'content-type': 'application/problem+json' },
        isBase64Encoded: false,
      });
      const problem = JSON.parse(outcome.result.body);
      expect(problem).toMatchObject({ type: 'about:blank', title: 'Bad Request', status: 400 });
      expect(problem.issues.map((issue: { pointer: string }) => issue.pointer).sort()).toEqual(pointers);
      expect(outcome.result.body).not.toMatch(/\bat .*\.[jt]s:\d+/); // no stack frames
      expect(calls).toEqual([]);
    },
  );

  it('gets a problem that says why, without echoing the input', async () => {
    const { handler } = setup();
    const outcome = await invoke(handler, request('{"customerId":"<script>secret</script>",'));
    if (!outcome.ok) throw new Error(outcome.error.errorMessage);
    const problem = JSON.parse(outcome.result.body);
    expect(problem.issues).toEqual([
      { pointer: '/body', code: 'custom', message: expect.stringMatching(/^Invalid JSON/) },
    ]);
    expect(outcome.result.body).not.toContain('secret');
  });
});

describe('a request that outlasts the time left', () => {
  it('gets a 504 from onTimeout before the deadline, with ctx.signal aborted', async () => {
    const { handler, calls, records } = setup(simulatedInventory(60_000));
    // 1 s timeout, 500 ms margin: the signal aborts about 500 ms in, long before the inventory answers.
    const outcome = await invoke(handler, readEvent('create-order.json'), { timeoutMs: 1_000, requestId: 'req-slow' });
    // ok: invoke() would report `Task timed out` (Sandbox.Timedout) had the handler reached the deadline.
    if (!outcome.ok) throw new Error(outcome.error.errorMessage);
    expect(outcome.result).toMatchObject({ statusCode: 504, headers: { 'content-type': 'application/problem+json' } });
    expect(JSON.parse(outcome.result.body)).toMatchObject({ title: 'Gateway Timeout', status: 504 });

    const [call] = calls;
    expect(call?.signal.aborted).toBe(true);
    expect(call?.signal.reason).toBeInstanceOf(TimeoutError);

    const lines = records();
    // The access line, then the logger's own line for the timeout: where the pipeline stood.
    expect(lines.map((line) => [line.level, line.message, line.statusCode])).toEqual([
      ['INFO', 'reserving stock', undefined],
      ['WARN', 'response', 504],
      ['ERROR', expect.stringMatching(/^invocation timed out in handler with \d+ ms left/), undefined],
    ]);
    expect(lines[1]).toMatchObject({ requestId: 'req-slow', correlationId: 'JKJaXmPLvHcESHA=' });
    expect(lines[1]?.remainingTimeMs).toBeGreaterThan(0);
    expect(lines[2]).toMatchObject({ requestId: 'req-slow', timeout: { stage: 'handler' } });
  });
});

describe('log lines', () => {
  it('carry the request id, and the caller’s x-correlation-id as correlationId', async () => {
    const { handler, records } = setup();
    const event = request(readEvent('create-order.json').body, { headers: { 'x-correlation-id': 'checkout-42' } });
    await invoke(handler, event, { requestId: 'req-1', functionName: 'http-api' });
    const lines = records();
    expect(lines.map((line) => line.message)).toEqual(['reserving stock', 'order created', 'response']);
    for (const line of lines) {
      expect(line).toMatchObject({ requestId: 'req-1', functionName: 'http-api', correlationId: 'checkout-42' });
    }
    expect(lines[1]?.orderId).toBe(lines[0]?.orderId);
    expect(lines[2]).toMatchObject({ level: 'INFO', statusCode: 201 });
  });

  it('carry API Gateway’s request id as correlationId when the caller sends none', async () => {
    const { handler, records } = setup();
    await invoke(handler, readEvent('create-order.json'), { requestId: 'req-2' });
    const lines = records();
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(line).toMatchObject({ requestId: 'req-2', correlationId: 'JKJaXmPLvHcESHA=' });
  });

  it("include the app's WARN line and the response's line for a request it refuses", async () => {
    const { handler, records } = setup();
    await invoke(handler, readEvent('invalid-order.json'), { requestId: 'req-3' });
    expect(records()).toEqual([
      expect.objectContaining({
        level: 'WARN',
        requestId: 'req-3',
        source: 'apigw-http',
        status: 400,
        issues: expect.any(Array),
        message: expect.stringMatching(/^invalid request answered 400: \/body\//),
      }),
      expect.objectContaining({
        level: 'INFO',
        requestId: 'req-3',
        correlationId: 'checkout-5f1c2a',
        statusCode: 400,
        message: 'response',
      }),
    ]);
  });

  it('include an ERROR line with the error when the downstream call fails, and the invocation fails', async () => {
    const { handler, records } = setup({
      reserve: () => Promise.reject(Object.assign(new Error('inventory unavailable'), { code: 'EUNAVAILABLE' })),
    });
    const outcome = await invoke(handler, readEvent('create-order.json'));
    expect(outcome).toMatchObject({ ok: false, error: { errorType: 'Error', errorMessage: 'inventory unavailable' } });
    const [response, failure] = records().slice(-2);
    expect(response).toMatchObject({
      level: 'ERROR',
      correlationId: 'JKJaXmPLvHcESHA=',
      statusCode: 500,
      error: { message: 'inventory unavailable', code: 'EUNAVAILABLE' },
      message: 'response',
    });
    // Then the logger's own line for the failure, last.
    expect(failure).toMatchObject({
      level: 'ERROR',
      message: 'invocation failed: Error: inventory unavailable',
      err: { type: 'Error', code: 'EUNAVAILABLE' },
    });
  });
});

// Spawns the CLI and a sandbox: the limit guards against a hang on a loaded machine, it measures nothing.
describe('npm start (lambdakit invoke dist/handler.js --event events/create-order.json)', { timeout: 60_000 }, () => {
  const cwd = fileURLToPath(new URL('..', import.meta.url));
  const bin = fileURLToPath(new URL('../../../packages/cli/dist/bin.js', import.meta.url));
  const cli = (args: string[], env: Record<string, string> = {}, target = 'dist/handler.js') =>
    promisify(execFile)(process.execPath, [bin, 'invoke', target, ...args], {
      cwd,
      env: { ...process.env, ...env },
    });

  it('prints the 201 response on stdout, and log lines and REPORT on stderr', async () => {
    const { stdout, stderr } = await cli(['--event', 'events/create-order.json', '--function-name', 'http-api']);
    const response = JSON.parse(stdout);
    expect(response).toMatchObject({ statusCode: 201, headers: { 'content-type': 'application/json' } });
    expect(JSON.parse(response.body)).toMatchObject({ status: 'confirmed', customerId: 'cus_7Hk2p' });
    expect(stderr).toMatch(/^START RequestId: /m);
    expect(stderr).toMatch(/"functionName":"http-api".*"correlationId":"JKJaXmPLvHcESHA=".*"message":"order created"/);
    expect(stderr).toMatch(/^REPORT RequestId: .*Init Duration: /m);
  });

  it('answers 504 before a 1 second timeout when the inventory is slow (SIMULATED_LATENCY_MS)', async () => {
    const { stdout, stderr } = await cli(['--event', 'events/create-order.json', '--timeout', '1'], {
      SIMULATED_LATENCY_MS: '60000',
    });
    expect(JSON.parse(stdout)).toMatchObject({ statusCode: 504 });
    expect(stderr).toMatch(/"level":"WARN".*"statusCode":504.*"message":"response"/);
    expect(stderr).toMatch(/^REPORT RequestId: /m);
    expect(stderr).not.toMatch(/Task timed out|Status: timeout/);
  });

  it('npm run export streams the orders: NDJSON on stdout as it comes, the status and each chunk on stderr', async () => {
    const { stdout, stderr } = await cli(
      ['--event', 'events/export-orders.json', '--function-name', 'http-api', '--env-file', 'events/demo.env'],
      {},
      'dist/handler.js#streamingHandler',
    ).catch((error: { stderr?: string }) => {
      throw new Error(`npm run export failed: ${error.stderr}`);
    });
    expect(
      stdout
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line).status),
    ).toEqual(Array.from({ length: 250 }, () => 'confirmed'));
    expect(stderr).toMatch(
      /^lambdakit: [0-9a-f-]{36}: at [\d.]+ ms: HTTP 200, headers \{"content-type":"application\/x-ndjson"\}$/m,
    );
    expect(stderr).toMatch(/^lambdakit: [0-9a-f-]{36}: stream ended: \d+ chunks, \d+ B, first byte at [\d.]+ ms$/m);
  });

  it('npm run openapi prints the routes as an OpenAPI 3.1 document', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [bin, 'openapi', 'dist/handler.js', '--title', 'Orders', '--api-version', '1.0.0'],
      { cwd },
    );
    const document = JSON.parse(stdout);
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths)).toEqual(['/orders', '/orders/export', '/orders/{orderId}']);
    expect(Object.keys(document.paths['/orders/{orderId}'])).toEqual(['get', 'delete']);
  });
});
