import { IdempotencyConfig } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { makeHandlerIdempotent } from '@aws-lambda-powertools/idempotency/middleware';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import middy from '@middy/core';
import { loggerMiddleware, orderHandler, parserMiddleware } from './powertools-parts.js';

/** The DynamoDB client the idempotency records go through (the bench counts its requests). */
export const dynamoClient = new DynamoDBClient({});

const persistenceStore = new DynamoDBPersistenceLayer({
  tableName: process.env.BENCH_TABLE_POWERTOOLS ?? 'idempotency',
  awsSdkV3Client: dynamoClient,
});

/** Powertools logger + parser + parameters + idempotency (keyed by the parsed order id) on Middy. */
export const handler = middy(orderHandler)
  .use(loggerMiddleware)
  .use(parserMiddleware)
  .use(makeHandlerIdempotent({ persistenceStore, config: new IdempotencyConfig({ eventKeyJmesPath: 'orderId' }) }));
