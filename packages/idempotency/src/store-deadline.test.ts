import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createContext } from '@lambdakit/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { dynamoDbStore, makeIdempotent } from './index.js';

// A DynamoDB endpoint that answers the operations in `answers` (as DynamoDB does, with `{}`)
// and leaves every other request hanging, as a stalled connection does. The client has no
// request timeout of its own and no retries: only the invocation's deadline can end the wait.
async function stallingDynamo(answers: readonly string[]) {
  const sockets = new Set<Socket>();
  const seen: string[] = [];
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const operation = String(request.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
    seen.push(operation);
    request.resume();
    request.on('end', () => {
      if (!answers.includes(operation)) return;
      response.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' }).end('{}');
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const client = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
  const close = async () => {
    client.destroy();
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  };
  return { client, seen, close };
}

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

describe('a store that stops answering', () => {
  it('cannot hold an acquire past the invocation deadline, with no ctx.signal and no client timeout', async () => {
    const dynamo = await stallingDynamo([]);
    closers.push(dynamo.close);
    let runs = 0;
    const fn = makeIdempotent(
      async (_event: { id: string }) => {
        runs += 1;
        return 'ran';
      },
      { store: dynamoDbStore({ client: dynamo.client, tableName: 'records' }), key: (event) => event.id },
    );
    // Lambda's own context: a deadline, but no signal (no timeout() middleware).
    const error = await fn({ id: 'a' }, createContext({ functionName: 'orders', timeoutMs: 200 })).catch(
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({
      code: 'IDEMPOTENCY_STORE_FAILED',
      operation: 'acquire',
      cause: { name: 'DeadlineExceeded' },
    });
    expect((error as Error).message).toMatch(
      /failed to acquire record .*: DeadlineExceeded: no answer from the store before the invocation's deadline \(\d{4}-/,
    );
    expect(runs).toBe(0);
    expect(dynamo.seen).toEqual(['PutItem']);
  });

  it('cannot hold the write of the result past the deadline; the lock frees itself then', async () => {
    const dynamo = await stallingDynamo(['PutItem']);
    closers.push(dynamo.close);
    let runs = 0;
    const fn = makeIdempotent(
      async (_event: { id: string }) => {
        runs += 1;
        return 'ran';
      },
      { store: dynamoDbStore({ client: dynamo.client, tableName: 'records' }), key: (event) => event.id },
    );
    const error = await fn({ id: 'b' }, createContext({ functionName: 'orders', timeoutMs: 200 })).catch(
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({
      code: 'IDEMPOTENCY_STORE_FAILED',
      operation: 'complete',
      cause: { name: 'DeadlineExceeded' },
    });
    expect(runs).toBe(1);
    // The record stays IN_PROGRESS until the deadline (no DeleteItem): a retry before then gets
    // IDEMPOTENCY_IN_PROGRESS rather than running the business logic a second time.
    expect(dynamo.seen).toEqual(['PutItem', 'UpdateItem']);
  });
});
