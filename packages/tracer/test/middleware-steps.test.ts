import { SSMClient } from '@aws-sdk/client-ssm';
import { config } from '@lambdakit/config';
import { lambda, TimeoutError, timeout } from '@lambdakit/core';
import { dynamoDbStore, idempotent } from '@lambdakit/idempotency';
import { createContext, type LocalSsm, startLocalSsm } from '@lambdakit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { sharedDynamo, uniqueTableName } from '../../../test/shared-dynamo.js';
import { createTracer, traceClient, tracer } from '../src/index.js';
import { CaptureExporter } from './capture-exporter.js';

// Middlewares that do I/O show it as steps of the invocation's trace: a config load the
// invocation waits for, each idempotency store request, with the SDK calls under them.

let ssm: LocalSsm;
const dynamo = sharedDynamo();
const table = uniqueTableName('steps');
beforeAll(async () => {
  ssm = await startLocalSsm({ parameters: { '/lambdakit/steps/table': 'orders' } });
  await dynamo.createTable({ tableName: table });
});
afterAll(() => ssm.close());

const names = (exporter: CaptureExporter, call: number) => exporter.calls[call]!.spans.map((span) => span.name).sort();

describe('steps of the middlewares in a trace', () => {
  it('the first invocation’s config load, not a warm one’s', async () => {
    const exporter = new CaptureExporter();
    const client = traceClient(new SSMClient({ ...ssm.clientConfig, maxAttempts: 1 }));
    const handler = lambda()
      .use(tracer({ tracer: createTracer({ exporter }) }))
      .use(config({ schema: z.object({ table: z.string() }), client, prefetch: false }))
      .handle(async (_e, ctx) => ctx.config.table);
    expect(await handler({}, createContext({ functionName: 'steps' }))).toBe('orders');
    expect(await handler({}, createContext({ functionName: 'steps' }))).toBe('orders');
    expect(names(exporter, 0)).toEqual(['SSM.GetParametersByPath', 'config load', 'steps']);
    expect(names(exporter, 1)).toEqual(['steps']);
    // The load started before the invocation's span could hold it (prefetched at init, or by the
    // hook that found the config missing): its request is the invocation's child, beside the wait.
    const [root, load, call] = ['steps', 'config load', 'SSM.GetParametersByPath'].map(
      (name) => exporter.calls[0]!.spans.find((span) => span.name === name)!,
    );
    expect(load!.parentSpanContext?.spanId).toBe(root!.spanContext().spanId);
    expect(call!.spanContext().traceId).toBe(root!.spanContext().traceId);
    expect(load!.attributes['lambdakit.middleware']).toBe('config');
    client.destroy();
  });

  it('each idempotency store request; a retry’s replay reads without writing', async () => {
    const exporter = new CaptureExporter();
    const client = traceClient(dynamo.client());
    const handler = lambda()
      .use(tracer({ tracer: createTracer({ exporter }) }))
      .use(idempotent({ store: dynamoDbStore({ client, tableName: table }), key: (e) => (e as { id: string }).id }))
      .handle(async (event) => ({ charged: (event as { id: string }).id }));
    await handler({ id: 'p-1' }, createContext({ functionName: 'pay' }));
    await handler({ id: 'p-1' }, createContext({ functionName: 'pay' }));
    expect(names(exporter, 0)).toEqual([
      'DynamoDB.PutItem',
      'DynamoDB.UpdateItem',
      'idempotency acquire',
      'idempotency complete',
      'pay',
    ]);
    // The retry: the conditional write fails, the record is read, its result replayed.
    expect(names(exporter, 1)).toEqual([
      'DynamoDB.GetItem',
      'DynamoDB.PutItem',
      'idempotency acquire',
      'idempotency get',
      'pay',
    ]);
    const first = exporter.calls[0]!.spans;
    const idOf = (name: string) => first.find((span) => span.name === name)!.spanContext().spanId;
    const parentOf = (name: string) => first.find((span) => span.name === name)!.parentSpanContext?.spanId;
    expect(parentOf('DynamoDB.PutItem')).toBe(idOf('idempotency acquire'));
    expect(parentOf('DynamoDB.UpdateItem')).toBe(idOf('idempotency complete'));
    expect(parentOf('idempotency acquire')).toBe(idOf('pay'));
    client.destroy();
  });

  it('after a timeout the lock is still released, outside the refused spans', async () => {
    const exporter = new CaptureExporter();
    const client = traceClient(dynamo.client());
    const store = dynamoDbStore({ client, tableName: table });
    const handler = lambda()
      .use(tracer({ tracer: createTracer({ exporter }) }))
      .use(timeout({ marginMs: 500 }))
      .use(idempotent({ store, key: (e) => (e as { id: string }).id }))
      .handle(() => new Promise(() => {}));
    await expect(handler({ id: 'p-2' }, createContext({ functionName: 'pay', timeoutMs: 700 }))).rejects.toBeInstanceOf(
      TimeoutError,
    );
    expect(await store.get(`pay#p-2`, {})).toBeUndefined(); // released
    expect(names(exporter, 0)).toContain('idempotency acquire');
    expect(names(exporter, 0)).not.toContain('idempotency release');
    client.destroy();
  });
});
