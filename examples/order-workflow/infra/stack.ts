import { fileURLToPath } from 'node:url';
import { LambdakitFunction } from '@lambdakit/cdk';
import { Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table } from 'aws-cdk-lib/aws-dynamodb';
import type { Alias } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';

/**
 * The order workflow as it deploys: a durable function (a day to finish, its history kept two
 * weeks), invoked through its `live` alias as Lambda requires of durable functions, and its three
 * tables, each with only the item calls the workflow makes on it.
 */
export class OrderWorkflowStack extends Stack {
  readonly workflow: LambdakitFunction;
  readonly live: Alias;
  readonly tables: { stock: Table; orders: Table; payments: Table };

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, props);
    // An example: deleting the stack deletes its data. Keep the default (retain) for real orders.
    const removalPolicy = RemovalPolicy.DESTROY;
    const table = (name: string, key: string) =>
      new Table(this, name, {
        partitionKey: { name: key, type: AttributeType.STRING },
        billingMode: BillingMode.PAY_PER_REQUEST,
        removalPolicy,
      });
    this.tables = {
      stock: table('Stock', 'sku'),
      orders: table('Orders', 'orderId'),
      payments: table('Payments', 'orderId'),
    };
    this.workflow = new LambdakitFunction(this, 'Workflow', {
      entry: fileURLToPath(new URL('../src/handler.ts', import.meta.url)),
      description: 'Order saga: reserve stock, wait for the payment, charge, ship; compensated on failure',
      // Each invocation: the handler's timeout({ marginMs: 1000 }) leaves it 29 s of work.
      timeout: Duration.seconds(30),
      timeoutMarginMs: 1000,
      memorySize: 512,
      durableConfig: { executionTimeout: Duration.days(1), retentionPeriod: Duration.days(14) },
      environment: {
        STOCK_TABLE: this.tables.stock.tableName,
        ORDERS_TABLE: this.tables.orders.tableName,
        PAYMENTS_TABLE: this.tables.payments.tableName,
      },
    });
    this.tables.stock.grant(this.workflow, 'dynamodb:GetItem', 'dynamodb:UpdateItem');
    this.tables.orders.grant(this.workflow, 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem');
    this.tables.payments.grant(this.workflow, 'dynamodb:PutItem');
    this.live = this.workflow.addAlias('live');
  }
}
