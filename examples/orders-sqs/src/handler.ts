import { createHmac } from 'node:crypto';
import { ConditionalCheckFailedException, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { batch } from '@lambdakit/batch';
import { config, secrets, ssm } from '@lambdakit/config';
import { LambdakitError, lambda, timeout } from '@lambdakit/core';
import { dynamoDbStore, idempotentRecord } from '@lambdakit/idempotency';
import { logger } from '@lambdakit/logger';
import { sqs } from '@lambdakit/parser';
import { z } from 'zod';

/** An order, as the producer sends it in each SQS message body (JSON). */
export const Order = z.object({
  orderId: z.string().min(1),
  customerId: z.string().min(1),
  currency: z.string().length(3),
  total: z.number().positive(),
});

/**
 * The function's settings: `currency` and `maxTotal` from SSM under `/lambdakit/{functionName}/`
 * (every SSM value is a string), `receiptKey` from the Secrets Manager secret
 * `/lambdakit/{functionName}` (`{ "receiptKey": "…" }`): a secret, never printed.
 */
export const Settings = z.object({
  currency: z.string().length(3),
  maxTotal: z.coerce.number().positive(),
  receiptKey: z.string().min(32),
});

/** The receipt stored with an order: an HMAC-SHA256 of what was accepted, with the secret key, so a reader can check it. */
export function receiptOf(order: z.output<typeof Order>, key: string): string {
  return createHmac('sha256', key).update(`${order.orderId}|${order.currency}|${order.total}`).digest('hex');
}

/** A valid order the business rules refuse; the record fails alone and SQS delivers it again (then to the DLQ). */
export class OrderRejectedError extends LambdakitError {
  constructor(
    readonly orderId: string,
    readonly reason: 'currency' | 'over-limit',
    message: string,
  ) {
    super('ORDER_REJECTED', message);
  }
}

/** The table orders are written to (partition key `orderId`). */
export const ordersTable = process.env.ORDERS_TABLE ?? 'orders';
/** The table idempotency records live in (partition key `id`, TTL on `expiration`). */
export const idempotencyTable = process.env.IDEMPOTENCY_TABLE ?? 'idempotency';

/**
 * One client per sandbox, with no options: region, credentials and endpoint come from the
 * environment (`AWS_ENDPOINT_URL_DYNAMODB` points it at a local server). Exported for tests.
 */
export const dynamo = new DynamoDBClient({});

const store = dynamoDbStore({ client: dynamo, tableName: idempotencyTable });

/**
 * Takes a batch of orders from SQS: each message is parsed, checked against the limits in SSM
 * and written to DynamoDB once, with a receipt signed by a key from Secrets Manager, however often SQS delivers it. A message that does not parse or
 * is refused is reported alone in `batchItemFailures`; the rest of the batch is deleted from the queue.
 */
export const handler = lambda()
  .use(logger({ persistentKeys: { service: 'orders' } }))
  .use(timeout({ marginMs: 500 }))
  .use(config({ schema: Settings, sources: [ssm(), secrets()] }))
  .handle(
    batch(
      idempotentRecord(
        async (record, ctx) => {
          const order = record.body;
          if (order.currency !== ctx.config.currency) {
            throw new OrderRejectedError(
              order.orderId,
              'currency',
              `order ${order.orderId} is in ${order.currency}, only ${ctx.config.currency} is accepted`,
            );
          }
          if (order.total > ctx.config.maxTotal) {
            throw new OrderRejectedError(
              order.orderId,
              'over-limit',
              `order ${order.orderId} totals ${order.total}, over the limit of ${ctx.config.maxTotal}`,
            );
          }
          try {
            await dynamo.send(
              new PutItemCommand({
                TableName: ordersTable,
                Item: {
                  orderId: { S: order.orderId },
                  customerId: { S: order.customerId },
                  currency: { S: order.currency },
                  total: { N: String(order.total) },
                  messageId: { S: record.messageId },
                  acceptedAt: { S: new Date().toISOString() },
                  receipt: { S: receiptOf(order, ctx.config.receiptKey) },
                },
                // A second line of defence: a redelivery after the idempotency record expired
                // (SQS keeps messages up to 14 days) must not overwrite the order.
                ConditionExpression: 'attribute_not_exists(orderId)',
              }),
              { abortSignal: ctx.signal },
            );
          } catch (error) {
            if (!(error instanceof ConditionalCheckFailedException)) throw error;
            ctx.log.warn({ orderId: order.orderId }, 'order already written');
            return { orderId: order.orderId, written: false };
          }
          ctx.log.info({ orderId: order.orderId, total: order.total, currency: order.currency }, 'order accepted');
          return { orderId: order.orderId, written: true };
        },
        // SQS delivers at least once: the business logic runs once per order, whatever the messageId.
        { store, key: (record) => record.body.orderId },
      ),
      { schema: sqs(Order) },
    ),
  );
