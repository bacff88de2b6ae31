import { execFile } from 'node:child_process';
import { createHash, createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import {
  invoke,
  type LocalSecretsManager,
  type LocalSsm,
  sampleEvent,
  startLocalSecretsManager,
  startLocalSsm,
} from '@lambdakit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedDynamo } from '../../../test/shared-dynamo.js';

type HandlerModule = typeof import('./handler.js');

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const readJson = (path: string) => JSON.parse(readFileSync(here(path), 'utf8'));
// The same seed files `npm start` gives `lambdakit invoke --local-aws`: the parameters here, the
// tables (local/tables.json) by the test run's shared dynalite (test/local-dynamo-setup.ts).
const parameters = readJson('../local/params.json');
const secrets = readJson('../local/secrets.json');
const receiptKey: string = secrets['/lambdakit/orders'].receiptKey;
// What the spawned CLI inherits: the environment before this file points the SDK at its own servers.
const inheritedEnv = { ...process.env };

/** An SQS record as Lambda delivers it; `body` is sent as JSON text, or as given when it is a string. */
function message(body: unknown, overrides: { messageId?: string; receiveCount?: number } = {}) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const record = sampleEvent('sqs', { records: 1 }).Records[0]!;
  return {
    ...record,
    messageId: overrides.messageId ?? randomUUID(),
    receiptHandle: `AQEB${Buffer.from(randomUUID()).toString('base64')}`,
    body: text,
    md5OfBody: createHash('md5').update(text).digest('hex'),
    attributes: { ...record.attributes, ApproximateReceiveCount: String(overrides.receiveCount ?? 1) },
  };
}

const sqsEvent = (...records: ReturnType<typeof message>[]) => ({ Records: records });

/** A valid order with an id no other test uses, so tests never see each other's rows. */
const order = (fields: { total?: number; currency?: string } = {}) => ({
  orderId: `o-${randomUUID()}`,
  customerId: 'c-17',
  currency: 'EUR',
  total: 42.5,
  ...fields,
});

describe('orders-sqs handler, against local DynamoDB and SSM', () => {
  // The run's dynalite and its `orders` and `idempotency` tables: every order here has an id of its own.
  const dynamo = sharedDynamo();
  let ssm: LocalSsm;
  let secretsManager: LocalSecretsManager;
  let handler: HandlerModule['handler'];
  let client: DynamoDBClient;
  /** The orderId of every PutItem the handler sends to the orders table. */
  const orderWrites: string[] = [];
  const writesOf = (orderId: string) => orderWrites.filter((id) => id === orderId).length;

  const run = (event: unknown, options: { timeoutMs?: number } = {}) =>
    invoke(handler, event, { functionName: 'orders', ...options });

  const readOrder = async (orderId: string) => {
    const { Item } = await client.send(
      new GetItemCommand({ TableName: 'orders', Key: { orderId: { S: orderId } }, ConsistentRead: true }),
    );
    return Item;
  };

  beforeAll(async () => {
    // SSM per file, unlike dynalite: these tests count its requests, which parallel files would add to.
    ssm = await startLocalSsm({ parameters });
    secretsManager = await startLocalSecretsManager({ secrets });
    // What Lambda and `--local-aws` set: the module-scope clients, created with no options, read them.
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      AWS_ENDPOINT_URL_SSM: ssm.endpoint,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: secretsManager.endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: dynamo.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: dynamo.credentials.secretAccessKey,
      AWS_LAMBDA_FUNCTION_NAME: 'orders', // config() starts reading SSM at import, as in a cold start
      LOG_LEVEL: 'silent',
    });
    delete process.env.AWS_PROFILE;
    delete process.env.AWS_SESSION_TOKEN;
    ({ handler, dynamo: client } = await import('./handler.js'));
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as { TableName?: string; Item?: { orderId?: { S?: string } } };
        if (context.commandName === 'PutItemCommand' && input.TableName === 'orders') {
          orderWrites.push(String(input.Item?.orderId?.S));
        }
        return next(args);
      },
      { step: 'initialize', name: 'countOrderWrites' },
    );
  });

  afterAll(async () => {
    for (const key of Object.keys(process.env)) if (!(key in inheritedEnv)) delete process.env[key];
    Object.assign(process.env, inheritedEnv);
    await ssm?.close();
    await secretsManager?.close();
  });

  it('writes every valid order to the orders table, up to and including maxTotal', async () => {
    const small = order();
    const atLimit = order({ total: 1000 });
    const first = message(small);
    const outcome = await run(sqsEvent(first, message(atLimit)));

    expect(outcome).toMatchObject({ ok: true, result: { batchItemFailures: [] } });
    expect(await readOrder(small.orderId)).toMatchObject({
      orderId: { S: small.orderId },
      customerId: { S: 'c-17' },
      currency: { S: 'EUR' },
      total: { N: '42.5' },
      messageId: { S: first.messageId },
      // Signed with the key from Secrets Manager, checkable by anyone who holds it.
      receipt: { S: createHmac('sha256', receiptKey).update(`${small.orderId}|EUR|42.5`).digest('hex') },
    });
    expect(await readOrder(atLimit.orderId)).toMatchObject({ total: { N: '1000' } });
  });

  it('runs the business logic once for a redelivered order, in the same batch and when the whole batch comes again', async () => {
    const once = order();
    const other = order();
    const delivered = message(once);
    const event = sqsEvent(
      delivered,
      message(once, { messageId: delivered.messageId, receiveCount: 2 }),
      message(other),
    );

    expect(await run(event)).toMatchObject({ ok: true, result: { batchItemFailures: [] } });
    expect([writesOf(once.orderId), writesOf(other.orderId)]).toEqual([1, 1]);
    const written = await readOrder(once.orderId);

    expect(await run(event)).toMatchObject({ ok: true, result: { batchItemFailures: [] } });
    expect([writesOf(once.orderId), writesOf(other.orderId)]).toEqual([1, 1]);
    expect(await readOrder(once.orderId)).toEqual(written);
  });

  it.each([
    ['a body that is not JSON', '{"orderId":"o-broken",'],
    ['a body without an orderId', { customerId: 'c-17', currency: 'EUR', total: 10 }],
    ['an order over maxTotal', order({ total: 1000.01 })],
    ['an order in another currency than the configured one', order({ currency: 'USD' })],
  ])('reports %s alone, by its messageId, and writes the rest of the batch', async (_, body) => {
    const before = order();
    const after = order();
    const poison = message(body);
    const outcome = await run(sqsEvent(message(before), poison, message(after)));

    expect(outcome).toMatchObject({ ok: true, result: { batchItemFailures: [{ itemIdentifier: poison.messageId }] } });
    expect(outcome.ok && outcome.result.batchItemFailures).toHaveLength(1);
    expect([writesOf(before.orderId), writesOf(after.orderId)]).toEqual([1, 1]);
    if (typeof body === 'object' && 'orderId' in body) expect(await readOrder(body.orderId)).toBeUndefined();
  });

  it('refuses an order again when SQS redelivers it: a failure is not stored as done', async () => {
    const tooBig = order({ total: 5000 });
    const event = sqsEvent(message(tooBig));
    for (const receiveCount of [1, 2]) {
      event.Records[0]!.attributes.ApproximateReceiveCount = String(receiveCount);
      const outcome = await run(event);
      expect(outcome).toMatchObject({
        ok: true,
        result: { batchItemFailures: [{ itemIdentifier: event.Records[0]!.messageId }] },
      });
    }
    expect(await readOrder(tooBig.orderId)).toBeUndefined();
  });

  it('leaves an order already in the table as it was, when SQS delivers it after its idempotency record expired', async () => {
    const late = order();
    const original = { orderId: { S: late.orderId }, messageId: { S: 'the-first-delivery' } };
    // Written through a client of its own, so it is not counted as the handler's write.
    await dynamo.client().send(new PutItemCommand({ TableName: 'orders', Item: original }));

    expect(await run(sqsEvent(message(late)))).toMatchObject({ ok: true, result: { batchItemFailures: [] } });
    expect(writesOf(late.orderId)).toBe(1);
    expect(await readOrder(late.orderId)).toEqual(original);
  });

  it('reads its configuration from SSM and Secrets Manager once per sandbox: warm invocations send no request', async () => {
    await run(sqsEvent(message(order())));
    expect(ssm.count('GetParametersByPath')).toBe(1);
    expect(secretsManager.count('BatchGetSecretValue')).toBe(1);
    await run(sqsEvent(message(order())));
    await run(sqsEvent(message(order())));
    expect([ssm.count(), secretsManager.count()]).toEqual([1, 1]);
  });

  it('starts no record with under a second left: every one is reported for redelivery and nothing is written', async () => {
    await run(sqsEvent()); // a warm sandbox: the configuration is already in memory
    const late = [order(), order()];
    const event = sqsEvent(...late.map((o) => message(o)));
    // 600 ms left is under batch()'s default cutoffMs (1000 ms), so the batch hands every record back to SQS.
    const outcome = await run(event, { timeoutMs: 600 });

    expect(outcome).toMatchObject({
      ok: true,
      result: { batchItemFailures: event.Records.map((r) => ({ itemIdentifier: r.messageId })) },
    });
    expect(late.map((o) => writesOf(o.orderId))).toEqual([0, 0]);
  });
});

// Spawns the CLI, a sandbox and local servers: the limit guards against a hang on a loaded machine, it measures nothing.
describe('npm start (lambdakit invoke dist/handler.js … --local-aws)', { timeout: 60_000 }, () => {
  it('prints the partial batch response on stdout, and the log lines and REPORT on stderr', async () => {
    const event = readJson('../events/orders.json') as { Records: { messageId: string; body: string }[] };
    const overLimit = event.Records.filter(
      (r) => JSON.parse(r.body).total > Number(parameters['/lambdakit/orders/maxTotal']),
    );
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      [
        here('../../../packages/cli/dist/bin.js'),
        'invoke',
        'dist/handler.js',
        '--event',
        'events/orders.json',
        '--function-name',
        'orders',
        '--local-aws',
        '--params',
        'local/params.json',
        '--secrets',
        'local/secrets.json',
        '--tables',
        'local/tables.json',
      ],
      { cwd: here('..'), env: inheritedEnv },
    );

    expect(overLimit).toHaveLength(1);
    expect(JSON.parse(stdout)).toEqual({ batchItemFailures: [{ itemIdentifier: overLimit[0]!.messageId }] });
    expect(stderr).toMatch(/^START RequestId: /m);
    // Three records: one written, its redelivery replayed without running again, one refused.
    expect(stderr.match(/"message":"order accepted"/g)).toHaveLength(1);
    expect(stderr).toMatch(/"orderId":"o-1001".*"message":"order accepted"/);
    expect(stderr).toMatch(/"name":"OrderRejectedError".*"reason":"over-limit".*"message":"Batch record failed"/);
    expect(stderr).toMatch(/^REPORT RequestId: .*Init Duration: /m);
    // The receipt key from Secrets Manager signed the order and was never printed.
    expect(stdout + stderr).not.toContain(receiptKey);
  });
});
