import { InvokeStore } from '@aws/lambda-invoke-store';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { defineMiddleware, lambda } from '@lambdakit/core';
import { createContext } from '@lambdakit/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { sharedDynamo, uniqueTableName } from '../../../test/shared-dynamo.js';
import { createTracer, traceClient, tracer } from '../src/index.js';
import { CaptureExporter } from './capture-exporter.js';

// The store is made multi-concurrent before anything (the AWS SDK too) creates it: in Lambda,
// AWS_LAMBDA_MAX_CONCURRENCY decides, before the function's code loads.
let store: Awaited<ReturnType<typeof InvokeStore.getInstanceAsync>>;
const dynamo = sharedDynamo();
const table = uniqueTableName('managed');
beforeAll(async () => {
  store = await InvokeStore.getInstanceAsync(true);
  await dynamo.createTable({ tableName: table });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const getItem = () => new GetItemCommand({ TableName: table, Key: { id: { S: 'x' } } });

describe('under the runtime’s invoke store (Lambda Managed Instances: invocations overlap)', () => {
  it('each invocation’s calls are its own, whatever ran before tracer()', async () => {
    const exporter = new CaptureExporter();
    const ddb = traceClient(dynamo.client());
    const slow = defineMiddleware({ name: 'slow', before: () => sleep(1) });
    const handler = lambda()
      .use(slow)
      .use(tracer({ tracer: createTracer({ exporter }) }))
      .handle(async () => {
        await sleep(1);
        await ddb.send(getItem());
        await sleep(1);
        await ddb.send(getItem());
      });
    await Promise.all(
      ['one', 'two', 'three'].map((name) =>
        store.run({ [Symbol.for('_AWS_LAMBDA_REQUEST_ID')]: name }, () =>
          handler({}, createContext({ functionName: name, requestId: name })),
        ),
      ),
    );
    for (const name of ['one', 'two', 'three']) {
      const root = exporter.named(name).spanContext();
      const calls = exporter.spans().filter((span) => span.parentSpanContext?.spanId === root.spanId);
      expect(calls.map((span) => span.name)).toEqual(['DynamoDB.GetItem', 'DynamoDB.GetItem']);
      expect(calls.every((span) => span.spanContext().traceId === root.traceId)).toBe(true);
    }
    ddb.destroy();
  });
});
