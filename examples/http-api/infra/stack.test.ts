import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type LocalRun, resolveLocalRun } from '@lambdakit/cdk';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OrdersApiStack } from './stack.js';

const exampleDir = fileURLToPath(new URL('..', import.meta.url));
// Inside the example, so the bundle finds the AWS SDK in node_modules as Lambda's runtime provides it.
mkdirSync(join(exampleDir, '.lambdakit'), { recursive: true });
const outdir = mkdtempSync(join(exampleDir, '.lambdakit', 'synth-'));
const app = new App({ outdir });
const stack = new OrdersApiStack(app, 'LambdakitOrdersApi');
let template: Template;
let api: LocalRun;
let exporter: LocalRun;

beforeAll(() => {
  const assembly = app.synth();
  template = Template.fromStack(stack);
  api = resolveLocalRun(assembly, stack.api);
  exporter = resolveLocalRun(assembly, stack.exporter);
});
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe('the http-api CDK app, synthesised offline', () => {
  it('routes every request of the HTTP API to the app (payload 2.0), and streams through a signed function URL', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: '$default' });
    template.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'AWS_PROXY',
      PayloadFormatVersion: '2.0',
    });
    template.hasResourceProperties('AWS::Lambda::Url', { AuthType: 'AWS_IAM', InvokeMode: 'RESPONSE_STREAM' });
    template.hasResourceProperties('AWS::Lambda::Function', { Handler: 'index.streamingHandler', Timeout: 60 });
    template.hasResourceProperties('AWS::Lambda::Function', { Handler: 'index.handler', Timeout: 10 });
  });

  it('gives both functions the idempotency table, with the four item actions on it and nothing else', () => {
    const policies = Object.values(template.findResources('AWS::IAM::Policy'));
    expect(policies).toHaveLength(2);
    for (const policy of policies) {
      expect(policy.Properties.PolicyDocument.Statement).toEqual([
        {
          Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
          Effect: 'Allow',
          Resource: [{ 'Fn::GetAtt': [expect.stringMatching(/^Idempotency/), 'Arn'] }],
        },
      ]);
    }
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: { IDEMPOTENCY_TABLE: { Ref: Match.stringLikeRegexp('^Idempotency') }, DEMO_ORDERS: '250' },
      },
    });
  });

  it('ships one bundle for both handlers (one asset), without aws-cdk-lib', () => {
    expect(api.dir).toBe(exporter.dir);
    expect(stack.api.bundle.modules.filter((path) => /aws-cdk-lib|constructs/.test(path))).toEqual([]);
  });
});

// Spawns the CLI and a sandbox: the limit guards against a hang on a loaded machine, it measures nothing.
describe('the synthesised bundles, run by lambdakit invoke with the template’s settings', { timeout: 60_000 }, () => {
  const bin = fileURLToPath(new URL('../../../packages/cli/dist/bin.js', import.meta.url));
  const invoke = (run: LocalRun, event: string) =>
    promisify(execFile)(
      process.execPath,
      [bin, ...run.invokeArgs(mkdtempSync(join(outdir, 'run-'))), '--event', event],
      {
        cwd: exampleDir,
      },
    );

  it('the API creates an order (201), its idempotency record in the local table', async () => {
    const { stdout, stderr } = await invoke(api, 'events/create-order.json');
    const response = JSON.parse(stdout);
    expect(response).toMatchObject({ statusCode: 201 });
    expect(JSON.parse(response.body)).toMatchObject({ status: 'confirmed', customerId: 'cus_7Hk2p' });
    expect(stderr).toMatch(/"message":"order created"/);
  });

  it('the function URL streams the 250 demo orders as NDJSON', async () => {
    const { stdout, stderr } = await invoke(exporter, 'events/export-orders.json');
    expect(stdout.trimEnd().split('\n')).toHaveLength(250);
    expect(stderr).toMatch(/stream ended: \d+ chunks/);
  });
});
