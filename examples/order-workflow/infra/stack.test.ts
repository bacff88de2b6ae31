import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { synthesiseExample } from '../../../test/synth-example.js';
import { OrderWorkflowStack } from './stack.js';

const exampleDir = fileURLToPath(new URL('..', import.meta.url));
const example = synthesiseExample(exampleDir, (app) => new OrderWorkflowStack(app, 'LambdakitOrderWorkflow'));
const { stack } = example;

describe('the order-workflow CDK app, synthesised offline', () => {
  it('deploys a durable function behind an alias, allowed its checkpoints and its item calls only', () => {
    example.template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Timeout: 30,
      DurableConfig: { ExecutionTimeout: 86400, RetentionPeriodInDays: 14 },
    });
    example.template.hasResourceProperties('AWS::Lambda::Alias', { Name: 'live' });
    example.template.resourceCountIs('AWS::DynamoDB::Table', 3);
    const statements = Object.values(example.template.findResources('AWS::IAM::Policy')).flatMap(
      (policy) =>
        (policy as { Properties: { PolicyDocument: { Statement: Array<{ Action: unknown }> } } }).Properties
          .PolicyDocument.Statement,
    );
    expect(statements.map((statement) => statement.Action)).toEqual([
      ['logs:CreateLogStream', 'logs:PutLogEvents'],
      ['lambda:CheckpointDurableExecution', 'lambda:GetDurableExecutionState'],
      ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
      ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
      'dynamodb:PutItem',
    ]);
    example.template.hasResourceProperties('AWS::IAM::Role', { ManagedPolicyArns: Match.absent() });
  });
});

// Spawns the CLI and sandboxes: the limit guards against a hang on a loaded machine, it measures nothing.
describe('the synthesised bundle, run by lambdakit invoke --durable with the template’s settings', {
  timeout: 60_000,
}, () => {
  it('ships the order through the local durable runner and a local DynamoDB', async () => {
    // The template's tables (named by their logical ids), the stock one with the articles of
    // local/tables.json, in place of the empty ones the template's settings give.
    const seeded = JSON.parse(readFileSync(join(exampleDir, 'local/tables.json'), 'utf8')) as Array<{
      tableName: string;
      items?: unknown[];
    }>;
    const stockItems = seeded.find((table) => table.tableName === 'stock')?.items;
    const tables = example
      .localRun(stack.workflow)
      .tables.map((table) => (table.partitionKey === 'sku' ? { ...table, items: stockItems } : table));
    const tablesFile = join(mkdtempSync(join(tmpdir(), 'lambdakit-order-workflow-')), 'tables.json');
    writeFileSync(tablesFile, JSON.stringify(tables));
    const { stdout, stderr } = await example.invoke(stack.workflow, [
      '--durable',
      '--tables',
      tablesFile,
      '--event',
      'events/order.json',
      '--callback',
      'payment={"paymentId":"pay-1","amount":42.5}',
    ]);
    expect(JSON.parse(stdout)).toEqual({ orderId: 'order-1001', status: 'shipped', shipmentId: 'ship-order-1001' });
    expect(stderr).toMatch(/lambdakit: durable execution SUCCEEDED/);
    expect(stderr).toMatch(/Memory Size: 512 MB/);
  });
});
