import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { defineMiddleware, lambda, TimeoutError, timeout } from '@lambdakit/core';
import { createContext } from '@lambdakit/testing';
import { type DiagLogger, DiagLogLevel, diag } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedDynamo, uniqueTableName } from '../../../test/shared-dynamo.js';
import { createTracer, traceClient, tracer } from '../src/index.js';
import { CaptureExporter } from './capture-exporter.js';

// traceClient()'s middleware finds the invocation without ctx: these are the chains where an
// AsyncLocalStorage entered from tracer()'s hook does not reach the business logic.

const dynamo = sharedDynamo();
const table = uniqueTableName('current');
beforeAll(() => dynamo.createTable({ tableName: table }));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const getItem = () => new GetItemCommand({ TableName: table, Key: { id: { S: 'x' } } });

describe('an SDK call is traced in the invocation that makes it', () => {
  it('when tracer() comes after a middleware that awaited', async () => {
    const exporter = new CaptureExporter();
    const ddb = traceClient(dynamo.client());
    const slow = defineMiddleware({ name: 'slow', before: () => sleep(5) });
    const handler = lambda()
      .use(slow)
      .use(tracer({ tracer: createTracer({ exporter }) }))
      .handle(async () => ddb.send(getItem()));
    await handler({}, createContext({ functionName: 'fn' }));
    expect(exporter.named('DynamoDB.GetItem').parentSpanContext?.spanId).toBe(
      exporter.named('fn').spanContext().spanId,
    );
    ddb.destroy();
  });

  it('on the Middy path (a middleware lambdakit did not declare)', async () => {
    const exporter = new CaptureExporter();
    const ddb = traceClient(dynamo.client());
    const foreign = { before: async () => {} }; // a plain Middy middleware
    const handler = lambda()
      .use(tracer({ tracer: createTracer({ exporter }) }))
      .use(foreign)
      .handle(async () => ddb.send(getItem()));
    await handler({}, createContext({ functionName: 'fn' }));
    expect(exporter.named('DynamoDB.GetItem').parentSpanContext?.spanId).toBe(
      exporter.named('fn').spanContext().spanId,
    );
    ddb.destroy();
  });

  it('with two invocations open and no store telling them apart, the call is not guessed', async () => {
    const exporter = new CaptureExporter();
    const ddb = traceClient(dynamo.client());
    const slow = defineMiddleware({ name: 'slow', before: () => sleep(1) });
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const handler = lambda()
      .use(slow)
      .use(tracer({ tracer: createTracer({ exporter }) }))
      .handle(async (event) => {
        if ((event as { n: number }).n === 1) return held;
        await ddb.send(getItem());
        release();
      });
    await Promise.all([
      handler({ n: 1 }, createContext({ functionName: 'one' })),
      handler({ n: 2 }, createContext({ functionName: 'two' })),
    ]);
    expect(
      exporter
        .spans()
        .map((span) => span.name)
        .sort(),
    ).toEqual(['one', 'two']);
    ddb.destroy();
  });
});

describe('an SDK call still running when the invocation times out', () => {
  let server: Server;
  let answer!: () => void;
  beforeAll(async () => {
    server = createServer((_request, response) => {
      answer = () => {
        response.writeHead(200, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': 'late-1' });
        response.end('{}');
      };
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('ends with the invocation, abandoned; its late answer touches no ended span', async () => {
    const warnings: string[] = [];
    const logger: DiagLogger = {
      error: (message) => warnings.push(message),
      warn: (message) => warnings.push(message),
      info: () => {},
      debug: () => {},
      verbose: () => {},
    };
    diag.setLogger(logger, DiagLogLevel.WARN);
    const exporter = new CaptureExporter();
    const ddb = traceClient(
      new DynamoDBClient({
        endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        region: 'us-east-1',
        credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
        maxAttempts: 1,
      }),
    );
    let call: Promise<unknown> | undefined;
    const handler = lambda()
      .use(tracer({ tracer: createTracer({ exporter }) }))
      .use(timeout({ marginMs: 500 }))
      .handle(async () => {
        call = ddb.send(getItem());
        return call;
      });
    try {
      await expect(handler({}, createContext({ functionName: 'fn', timeoutMs: 560 }))).rejects.toBeInstanceOf(
        TimeoutError,
      );
      const abandoned = exporter.named('DynamoDB.GetItem');
      expect(abandoned.attributes['lambdakit.abandoned']).toBe(true);
      answer();
      await call;
      expect(abandoned.attributes['aws.request_id']).toBeUndefined();
      expect(warnings).toEqual([]);
    } finally {
      diag.disable();
      ddb.destroy();
    }
  });
});
