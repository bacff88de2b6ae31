import { fileURLToPath } from 'node:url';
import { IdempotencyTable, LambdakitFunction, SqsSource } from '@lambdakit/cdk';
import { RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table } from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';

/**
 * The orders consumer as it deploys: the function, its queue with a dead-letter queue, the orders
 * table, the idempotency table, its settings in SSM, its receipt key in Secrets Manager, and alarms.
 */
export class OrdersStack extends Stack {
  readonly orders: LambdakitFunction;
  readonly source: SqsSource;
  readonly ordersTable: Table;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, props);
    // An example: deleting the stack deletes its data. Keep the default (retain) for real orders.
    const removalPolicy = RemovalPolicy.DESTROY;
    this.ordersTable = new Table(this, 'Orders', {
      partitionKey: { name: 'orderId', type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      removalPolicy,
    });
    this.orders = new LambdakitFunction(this, 'Consumer', {
      entry: fileURLToPath(new URL('../src/handler.ts', import.meta.url)),
      description: 'Takes orders from SQS: parse, config, idempotent write, partial batch failures',
      timeoutMarginMs: 500,
      idempotencyTable: new IdempotencyTable(this, 'Idempotency', { removalPolicy }),
      config: {
        values: { currency: 'EUR', maxTotal: 1000 },
        // `receiptKey` is made by Secrets Manager at deploy: it is never in the template.
        secret: { generate: 'receiptKey' },
      },
      environment: { ORDERS_TABLE: this.ordersTable.tableName },
    });
    // The handler only ever writes a new order (a conditional PutItem): it may do nothing else.
    this.ordersTable.grant(this.orders, 'dynamodb:PutItem');
    this.source = new SqsSource(this, 'Queue', { function: this.orders, batchSize: 10, maxReceiveCount: 5 });
  }
}
