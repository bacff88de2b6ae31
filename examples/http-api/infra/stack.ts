import { fileURLToPath } from 'node:url';
import { IdempotencyTable, LambdakitFunction } from '@lambdakit/cdk';
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { FunctionUrlAuthType, InvokeMode } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';

const entry = fileURLToPath(new URL('../src/handler.ts', import.meta.url));

/**
 * The orders API as it deploys: `handler` behind an API Gateway HTTP API, and the same app as
 * `streamingHandler` behind a function URL that streams (`GET /orders/export` page by page), both
 * keeping `POST /orders`'s idempotency records in one DynamoDB table.
 */
export class OrdersApiStack extends Stack {
  readonly api: LambdakitFunction;
  readonly exporter: LambdakitFunction;
  readonly httpApi: HttpApi;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, props);
    // An example: deleting the stack deletes its records. Keep the default (retain) for real traffic.
    const idempotencyTable = new IdempotencyTable(this, 'Idempotency', { removalPolicy: RemovalPolicy.DESTROY });
    // The example's orders live in each sandbox's memory, seeded with demo orders to list and export.
    const environment = { DEMO_ORDERS: '250' };
    this.api = new LambdakitFunction(this, 'Api', {
      entry,
      description: 'The orders API behind an HTTP API',
      // Below the HTTP API's 30 s limit, so the app's own 504 (500 ms before this) is what a client sees.
      timeout: Duration.seconds(10),
      idempotencyTable,
      environment,
    });
    this.httpApi = new HttpApi(this, 'HttpApi', {
      description: 'lambdakit example: the orders API',
      defaultIntegration: new HttpLambdaIntegration('Orders', this.api),
    });
    this.exporter = new LambdakitFunction(this, 'Export', {
      entry,
      handler: 'streamingHandler',
      description: 'The orders API, streaming, behind a function URL',
      timeout: Duration.minutes(1),
      idempotencyTable,
      environment,
    });
    // Signed requests only (SigV4, e.g. with awscurl): the export lists every order.
    const url = this.exporter.addFunctionUrl({
      authType: FunctionUrlAuthType.AWS_IAM,
      invokeMode: InvokeMode.RESPONSE_STREAM,
    });
    new CfnOutput(this, 'ApiUrl', { value: this.httpApi.apiEndpoint });
    new CfnOutput(this, 'ExportUrl', { value: url.url });
  }
}
