import { fileURLToPath } from 'node:url';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { synthesiseExample } from '../../../test/synth-example.js';
import { OrdersApiStack } from './stack.js';

const exampleDir = fileURLToPath(new URL('..', import.meta.url));
const example = synthesiseExample(exampleDir, (app) => new OrdersApiStack(app, 'LambdakitOrdersApi'));
const { stack } = example;

describe('the http-api CDK app, synthesised offline', () => {
  it('routes every request of the HTTP API to the app (payload 2.0), and streams through a signed function URL', () => {
    example.template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: '$default' });
    example.template.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'AWS_PROXY',
      PayloadFormatVersion: '2.0',
    });
    example.template.hasResourceProperties('AWS::Lambda::Url', { AuthType: 'AWS_IAM', InvokeMode: 'RESPONSE_STREAM' });
    example.template.hasResourceProperties('AWS::Lambda::Function', { Handler: 'index.streamingHandler', Timeout: 60 });
    example.template.hasResourceProperties('AWS::Lambda::Function', { Handler: 'index.handler', Timeout: 10 });
  });

  it('gives both functions their own logs and the idempotency table, with the four item actions on it, and nothing else', () => {
    const policies = Object.values(example.template.findResources('AWS::IAM::Policy'));
    expect(policies).toHaveLength(2);
    for (const policy of policies) {
      expect(policy.Properties.PolicyDocument.Statement).toEqual([
        {
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Effect: 'Allow',
          Resource: { 'Fn::GetAtt': [expect.stringMatching(/^(Api|Export)Logs/), 'Arn'] },
        },
        {
          Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
          Effect: 'Allow',
          Resource: [{ 'Fn::GetAtt': [expect.stringMatching(/^Idempotency/), 'Arn'] }],
        },
      ]);
    }
    example.template.hasResourceProperties('AWS::IAM::Role', { ManagedPolicyArns: Match.absent() });
    example.template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: { IDEMPOTENCY_TABLE: { Ref: Match.stringLikeRegexp('^Idempotency') }, DEMO_ORDERS: '250' },
      },
    });
  });

  it('ships one bundle for both handlers (one asset), without aws-cdk-lib', () => {
    expect(example.localRun(stack.api).dir).toBe(example.localRun(stack.exporter).dir);
    expect(stack.api.bundle.modules.filter((path) => /aws-cdk-lib|constructs/.test(path))).toEqual([]);
  });
});

// Spawns the CLI and a sandbox: the limit guards against a hang on a loaded machine, it measures nothing.
describe('the synthesised bundles, run by lambdakit invoke with the template’s settings', { timeout: 60_000 }, () => {
  it('the API creates an order (201), its idempotency record in the local table', async () => {
    const { stdout, stderr } = await example.invoke(stack.api, ['--event', 'events/create-order.json']);
    const response = JSON.parse(stdout);
    expect(response).toMatchObject({ statusCode: 201 });
    expect(JSON.parse(response.body)).toMatchObject({ status: 'confirmed', customerId: 'cus_7Hk2p' });
    expect(stderr).toMatch(/"message":"order created"/);
  });

  it('the function URL streams the 250 demo orders as NDJSON', async () => {
    const { stdout, stderr } = await example.invoke(stack.exporter, ['--event', 'events/export-orders.json']);
    expect(stdout.trimEnd().split('\n')).toHaveLength(250);
    expect(stderr).toMatch(/stream ended: \d+ chunks/);
  });
});
