import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { synthesiseExample } from '../../../test/synth-example.js';
import { OrdersStack } from './stack.js';

const exampleDir = fileURLToPath(new URL('..', import.meta.url));
const example = synthesiseExample(exampleDir, (app) => new OrdersStack(app, 'LambdakitOrdersSqs'));
const { stack } = example;
const run = () => example.localRun(stack.orders);

const policyStatements = () => {
  const policies = Object.values(example.template.findResources('AWS::IAM::Policy'));
  expect(policies).toHaveLength(1);
  return policies[0]!.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[];
};

describe('the orders-sqs CDK app, synthesised offline', () => {
  it('makes the idempotency table with key id and TTL on expiration, and the orders table keyed by orderId', () => {
    example.template.resourceCountIs('AWS::DynamoDB::Table', 2);
    example.template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      TimeToLiveSpecification: { AttributeName: 'expiration', Enabled: true },
      BillingMode: 'PAY_PER_REQUEST',
    });
    example.template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'orderId', KeyType: 'HASH' }],
    });
  });

  it('runs the function on arm64 Node.js 24 with JSON logs, and a timeout above timeout()’s margin', () => {
    example.template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      Timeout: 30,
      LoggingConfig: { LogFormat: 'JSON', ApplicationLogLevel: 'INFO', SystemLogLevel: 'INFO' },
      TracingConfig: Match.absent(),
      Environment: { Variables: { IDEMPOTENCY_TABLE: { Ref: Match.stringLikeRegexp('^Idempotency') } } },
    });
  });

  it('grants exactly what the handler does: its own logs, four item actions on the idempotency table, PutItem on orders, its own config path', () => {
    const statements = policyStatements();
    const actions = statements.map((s) => s.Action);
    expect(actions).toEqual([
      ['logs:CreateLogStream', 'logs:PutLogEvents'],
      ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
      'ssm:GetParametersByPath',
      ['secretsmanager:BatchGetSecretValue', 'secretsmanager:ListSecrets'],
      'secretsmanager:GetSecretValue',
      'dynamodb:PutItem',
      [
        'sqs:ReceiveMessage',
        'sqs:ChangeMessageVisibility',
        'sqs:GetQueueUrl',
        'sqs:DeleteMessage',
        'sqs:GetQueueAttributes',
      ],
    ]);
    // `*` only for the two secrets actions that have no resource to narrow to.
    const wildcards = statements.filter((s) => JSON.stringify(s.Resource).includes('"*"'));
    expect(wildcards.map((s) => s.Action)).toEqual([
      ['secretsmanager:BatchGetSecretValue', 'secretsmanager:ListSecrets'],
    ]);
    const path = `/lambdakit/${run().functionName}`;
    const arns = JSON.stringify(statements[2]!.Resource);
    expect(arns).toContain(`:parameter${path}"`);
    expect(arns).toContain(`:parameter${path}/*"`);
    // Logs only to its own group: no AWSLambdaBasicExecutionRole (logs:* on every group).
    expect(statements[0]!.Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^ConsumerLogs/), 'Arn'] });
    example.template.hasResourceProperties('AWS::IAM::Role', { ManagedPolicyArns: Match.absent() });
    expect(JSON.stringify(statements[1]!.Resource)).toMatch(/^\[\{"Fn::GetAtt":\["Idempotency\w+","Arn"\]\}\]$/);
  });

  it('feeds it from a queue that reports batch item failures, with a DLQ and a visibility timeout six times the function’s', () => {
    example.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BatchSize: 10,
    });
    example.template.hasResourceProperties('AWS::SQS::Queue', {
      VisibilityTimeout: 180,
      RedrivePolicy: { maxReceiveCount: 5, deadLetterTargetArn: Match.anyValue() },
    });
    example.template.hasResourceProperties('AWS::SQS::Queue', { MessageRetentionPeriod: 14 * 24 * 3600 });
  });

  it('alarms on errors, throttles, a runaway invocation rate and the dead-letter queue', () => {
    const alarms = Object.values(example.template.findResources('AWS::CloudWatch::Alarm')).map(
      (alarm) => alarm.Properties.MetricName,
    );
    expect(alarms.sort()).toEqual(['ApproximateNumberOfMessagesVisible', 'Errors', 'Invocations', 'Throttles']);
  });

  it('puts the settings under the function’s path, and makes the receipt key in Secrets Manager (never in the template)', () => {
    expect(run().parameters).toEqual({
      [`/lambdakit/${run().functionName}/currency`]: 'EUR',
      [`/lambdakit/${run().functionName}/maxTotal`]: '1000',
    });
    expect(run().secrets).toEqual([`/lambdakit/${run().functionName}`]);
    example.template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: Match.objectLike({ GenerateStringKey: 'receiptKey', SecretStringTemplate: '{}' }),
    });
  });

  it('bundles the handler without aws-cdk-lib or constructs', () => {
    expect(stack.orders.bundle.modules.filter((path) => /aws-cdk-lib|constructs/.test(path))).toEqual([]);
    expect(readFileSync(run().file, 'utf8')).not.toMatch(/aws-cdk-lib/);
  });
});

// Spawns the CLI, a sandbox and local servers: the limit guards against a hang on a loaded machine, it measures nothing.
describe('the synthesised bundle, run by lambdakit invoke with the template’s settings', { timeout: 60_000 }, () => {
  it('takes the sample batch: one order written, its redelivery replayed, one refused', async () => {
    const secret = { receiptKey: 'deployed-receipt-key-0123456789abcdef0123456789abcdef' };
    const { stdout, stderr } = await example.invoke(stack.orders, ['--event', 'events/orders.json'], {
      [run().secrets[0]!]: secret,
    });
    const event = JSON.parse(readFileSync(join(exampleDir, 'events/orders.json'), 'utf8'));
    expect(JSON.parse(stdout)).toEqual({ batchItemFailures: [{ itemIdentifier: event.Records[2].messageId }] });
    expect(stderr.match(/"message":"order accepted"/g)).toHaveLength(1);
    expect(stderr).toContain(`"functionName":"${run().functionName}"`);
    expect(stderr).toMatch(/"name":"OrderRejectedError".*"reason":"over-limit"/);
    expect(stdout + stderr).not.toContain(secret.receiptKey);
  });
});
