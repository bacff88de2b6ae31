import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createOrderWorkflow } from './workflow.js';

/**
 * The deployed function: one DynamoDB client per sandbox (region, credentials and endpoint from
 * the environment), the tables named by the environment.
 */
export const handler = createOrderWorkflow({
  client: new DynamoDBClient({}),
  tables: {
    stock: process.env.STOCK_TABLE ?? 'stock',
    orders: process.env.ORDERS_TABLE ?? 'orders',
    payments: process.env.PAYMENTS_TABLE ?? 'payments',
  },
});
