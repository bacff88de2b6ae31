import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { GetParametersByPathCommand, SSMClient } from '@aws-sdk/client-ssm';
import { lambda } from '@lambdakit/core';
import {
  createContext,
  type LocalSsm,
  type LocalXrayDaemon,
  startLocalSsm,
  startLocalXrayDaemon,
} from '@lambdakit/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { sharedDynamo, uniqueTableName } from '../../../test/shared-dynamo.js';
import { createTracer, traceClient, tracer, xrayDaemonExporter } from '../src/index.js';
import { outgoingTraceHeader } from '../src/trace-client.js';

const ROOT = '5759e988bd862e3fe1be46a994272793';
const INCOMING = `Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1;Lineage=a87bd80c:1`;

let daemon: LocalXrayDaemon;
let ssm: LocalSsm;
const dynamo = sharedDynamo();
const table = uniqueTableName('tracer');
beforeAll(async () => {
  daemon = await startLocalXrayDaemon();
  ssm = await startLocalSsm({ parameters: { '/orders/maxItems': '5' } });
  await dynamo.createTable({ tableName: table });
});
afterAll(async () => {
  await daemon.close();
  await ssm.close();
});
afterEach(() => {
  vi.unstubAllEnvs();
  daemon.clear();
});

/** The headers each request left with, seen from the end of the client's stack. */
function recordHeaders(client: { middlewareStack: { add(mw: never, options: never): void } }) {
  const seen: Record<string, string>[] = [];
  client.middlewareStack.add(
    ((next: (args: unknown) => Promise<unknown>) =>
      async (args: { request?: { headers?: Record<string, string> } }) => {
        seen.push({ ...args.request?.headers });
        return next(args);
      }) as never,
    { step: 'finalizeRequest', priority: 'low', name: 'testRecordHeaders' } as never,
  );
  return seen;
}

describe('traceClient(): AWS SDK calls during a traced invocation', () => {
  it('a client span per command against local DynamoDB and SSM, child of the running step', async () => {
    vi.stubEnv('_X_AMZN_TRACE_ID', INCOMING);
    const ddb = traceClient(dynamo.client());
    const ssmClient = traceClient(new SSMClient({ ...ssm.clientConfig, maxAttempts: 1 }));
    const t = createTracer({ exporter: xrayDaemonExporter({ address: daemon.address }) });
    const handler = lambda()
      .use(tracer({ tracer: t }))
      .handle(async (_e, ctx) => {
        await ddb.send(new PutItemCommand({ TableName: table, Item: { id: { S: 'o-1' } } }));
        await ctx.trace.span('read', async () => {
          await ddb.send(new GetItemCommand({ TableName: table, Key: { id: { S: 'o-1' } } }));
          await ssmClient.send(new GetParametersByPathCommand({ Path: '/orders/' }));
        });
        return 'ok';
      });
    await handler({}, createContext({ functionName: 'fn' }));
    const spans = await daemon.waitForSpans(5);
    const named = (name: string) => spans.find((s) => s.name === name)!;
    const root = named('fn');
    expect(named('DynamoDB.PutItem').parentSpanId).toBe(root.spanId);
    expect(named('DynamoDB.GetItem').parentSpanId).toBe(named('read').spanId);
    expect(named('SSM.GetParametersByPath').parentSpanId).toBe(named('read').spanId);
    expect(named('DynamoDB.GetItem')).toMatchObject({
      kind: 3, // client
      traceId: ROOT,
      attributes: expect.objectContaining({
        'rpc.system': 'aws-api',
        'rpc.service': 'DynamoDB',
        'rpc.method': 'GetItem',
        'aws.dynamodb.table_names': [table],
        'http.response.status_code': 200,
        'lambdakit.aws.attempts': 1,
      }),
    });
    expect(named('SSM.GetParametersByPath').attributes['aws.request_id']).toEqual(expect.any(String));
    ddb.destroy();
    ssmClient.destroy();
  });

  it('an SDK error is recorded on its span, with the attempts it took', async () => {
    vi.stubEnv('_X_AMZN_TRACE_ID', INCOMING);
    const ddb = traceClient(dynamo.client());
    const t = createTracer({ exporter: xrayDaemonExporter({ address: daemon.address }) });
    const handler = lambda()
      .use(tracer({ tracer: t }))
      .handle(async () => ddb.send(new GetItemCommand({ TableName: 'no-such-table', Key: { id: { S: 'x' } } })));
    await expect(handler({}, createContext({ functionName: 'fn' }))).rejects.toThrow();
    const spans = await daemon.waitForSpans(2);
    const call = spans.find((s) => s.name === 'DynamoDB.GetItem')!;
    expect(call.status.code).toBe(2);
    expect(call.events[0]?.attributes['exception.type']).toBe('ResourceNotFoundException');
    expect(call.attributes['http.response.status_code']).toBe(400);
    ddb.destroy();
  });

  it('requests carry the call’s span as X-Ray parent and traceparent, Lineage kept', async () => {
    vi.stubEnv('_X_AMZN_TRACE_ID', INCOMING);
    vi.stubEnv('AWS_LAMBDA_FUNCTION_NAME', 'fn');
    const ddb = traceClient(dynamo.client());
    const headers = recordHeaders(ddb);
    const t = createTracer({ exporter: xrayDaemonExporter({ address: daemon.address }) });
    const handler = lambda()
      .use(tracer({ tracer: t }))
      .handle(async () => ddb.send(new GetItemCommand({ TableName: table, Key: { id: { S: 'x' } } })));
    await handler({}, createContext({ functionName: 'fn' }));
    const call = (await daemon.waitForSpans(2)).find((s) => s.name === 'DynamoDB.GetItem')!;
    const sent = headers.at(-1)!;
    const traceHeaders = Object.keys(sent).filter((h) => h.toLowerCase() === 'x-amzn-trace-id');
    expect(traceHeaders).toEqual(['X-Amzn-Trace-Id']);
    expect(sent['X-Amzn-Trace-Id']).toBe(
      `Root=1-5759e988-bd862e3fe1be46a994272793;Parent=${call.spanId};Sampled=1;Lineage=a87bd80c:1`,
    );
    expect(sent.traceparent).toBe(`00-${ROOT}-${call.spanId}-01`);
    ddb.destroy();
  });

  it('outside a traced invocation, or unsampled, the client is as it was: no span, the SDK’s own header', async () => {
    vi.stubEnv('_X_AMZN_TRACE_ID', INCOMING.replace('Sampled=1', 'Sampled=0'));
    vi.stubEnv('AWS_LAMBDA_FUNCTION_NAME', 'fn');
    const ddb = traceClient(dynamo.client());
    const headers = recordHeaders(ddb);
    await ddb.send(new GetItemCommand({ TableName: table, Key: { id: { S: 'x' } } }));
    const t = createTracer({ exporter: xrayDaemonExporter({ address: daemon.address }) });
    const handler = lambda()
      .use(tracer({ tracer: t }))
      .handle(async () => ddb.send(new GetItemCommand({ TableName: table, Key: { id: { S: 'x' } } })));
    await handler({}, createContext({ functionName: 'fn' }));
    for (const sent of headers) expect(sent['X-Amzn-Trace-Id']).toBe(INCOMING.replace('Sampled=1', 'Sampled=0'));
    expect(t.enabled).toBe(true);
    // A sampled invocation after them: its spans are the only ones to arrive (UDP gives no other proof of absence).
    vi.stubEnv('_X_AMZN_TRACE_ID', INCOMING);
    await handler({}, createContext({ functionName: 'fn' }));
    const spans = await daemon.waitForSpans(2);
    expect(spans.map((s) => s.name).sort()).toEqual(['DynamoDB.GetItem', 'fn']);
    expect(daemon.datagrams).toBe(1);
    ddb.destroy();
  });

  it('refuses what is not an SDK client', () => {
    expect(() => traceClient({} as never)).toThrow(/AWS SDK v3 client/);
  });
});

describe('outgoingTraceHeader()', () => {
  it('keeps the incoming keys other than the ids, in order', () => {
    expect(outgoingTraceHeader(ROOT, '00f067aa0ba902b7', 'Root=1-a-b;Parent=c;Sampled=0;Lineage=x:2;Self=1-y')).toBe(
      'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=00f067aa0ba902b7;Sampled=1;Lineage=x:2;Self=1-y',
    );
    expect(outgoingTraceHeader(ROOT, '00f067aa0ba902b7', undefined)).toBe(
      'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=00f067aa0ba902b7;Sampled=1',
    );
  });
});
