import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { dynamoDbStore, idempotent } from '@lambdakit/idempotency';
import { placeOrder } from '../order.js';
import { apiBuilder } from './lambdakit-parts.js';

/** The DynamoDB client the idempotency records go through (the bench counts its requests). */
export const dynamoClient = new DynamoDBClient({});

/** lambdakit logger + timeout + parse + config + idempotency (keyed by the parsed order id). */
export const handler = apiBuilder()
  .use(
    idempotent({
      store: dynamoDbStore({ client: dynamoClient, tableName: process.env.BENCH_TABLE_LAMBDAKIT ?? 'idempotency' }),
      key: (event) => event.body.orderId,
    }),
  )
  .handle(async (event, ctx) => {
    const result = placeOrder(event.body, ctx.config);
    ctx.log.info({ orderId: event.body.orderId, statusCode: result.statusCode }, 'order handled');
    return result;
  });
