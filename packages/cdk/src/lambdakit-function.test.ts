import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Duration, type Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Table } from 'aws-cdk-lib/aws-dynamodb';
import { Stream } from 'aws-cdk-lib/aws-kinesis';
import { Alias, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { KinesisEventSource, SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { testStack } from '../test/test-stack.js';
import { IdempotencyTable, LambdakitFunction, SqsSource } from './index.js';

const fixture = (name: string) => fileURLToPath(new URL(`../test/fixtures/${name}.ts`, import.meta.url));
const synth = (stack: Stack) => Template.fromStack(stack);

describe('LambdakitFunction: what a handler needs, checked at synth', () => {
  it('refuses a handler that uses dynamoDbStore() with no idempotency table, and names the door and the remedy', () => {
    const stack = testStack();
    new LambdakitFunction(stack, 'Fn', { entry: fixture('idempotent') });
    expect(() => synth(stack)).toThrow(
      /idempotent\.ts uses dynamoDbStore\(\) from @lambdakit\/idempotency, but Test\/Fn has no infrastructure for it: give it \{ idempotencyTable: new IdempotencyTable/,
    );
  });

  it('refuses a durable() handler with no durableConfig; with one, grants the checkpoint calls on its own executions', () => {
    const bare = testStack();
    new LambdakitFunction(bare, 'Fn', { entry: fixture('workflow') });
    expect(() => synth(bare)).toThrow(
      /workflow\.ts uses durable\(\) from @lambdakit\/durable, but Test\/Fn has no infrastructure for it: give it \{ durableConfig: /,
    );
    const stack = testStack();
    const fn = new LambdakitFunction(stack, 'Fn', {
      entry: fixture('workflow'),
      durableConfig: { executionTimeout: Duration.days(7), retentionPeriod: Duration.days(14) },
    });
    const template = synth(stack);
    expect(fn.durable).toBe(true);
    expect([...fn.needs]).toEqual(['durableConfig']);
    template.hasResourceProperties('AWS::Lambda::Function', {
      DurableConfig: { ExecutionTimeout: 604800, RetentionPeriodInDays: 14 },
    });
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
      (policy) =>
        (policy as { Properties: { PolicyDocument: { Statement: Array<Record<string, unknown>> } } }).Properties
          .PolicyDocument.Statement,
    );
    const checkpoint = statements.find((statement) =>
      JSON.stringify(statement.Action).includes('CheckpointDurableExecution'),
    );
    expect(checkpoint?.Action).toEqual(['lambda:CheckpointDurableExecution', 'lambda:GetDurableExecutionState']);
    // Its own function by name (no reference to the function: no cycle), any version or alias.
    const resources = JSON.stringify(checkpoint?.Resource);
    expect(resources).toContain(`:function:${fn.physicalFunctionName}"`);
    expect(resources).toContain(`:function:${fn.physicalFunctionName}:*"`);
    expect(resources).not.toContain('GetAtt');
  });

  it('with the table: its name as IDEMPOTENCY_TABLE, and the four item actions on that table only', () => {
    const stack = testStack();
    const table = new IdempotencyTable(stack, 'Records');
    const fn = new LambdakitFunction(stack, 'Fn', { entry: fixture('idempotent'), idempotencyTable: table });
    const template = synth(stack);
    expect([...fn.needs]).toEqual(['idempotencyTable']);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { IDEMPOTENCY_TABLE: { Ref: Match.stringLikeRegexp('^Records') } } },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          {
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            Effect: 'Allow',
            Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^FnLogs'), 'Arn'] },
          },
          {
            Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
            Effect: 'Allow',
            Resource: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^Records'), 'Arn'] }],
          },
        ],
      },
    });
  });

  it('refuses config() with no parameter tree, and secrets() with no secret', () => {
    const bare = testStack();
    new LambdakitFunction(bare, 'Fn', { entry: fixture('configured') });
    expect(() => synth(bare)).toThrow(/uses ssm\(\) from @lambdakit\/config, but Test\/Fn has no infrastructure/);
    const noSecret = testStack();
    new LambdakitFunction(noSecret, 'Fn', { entry: fixture('configured'), config: { values: { currency: 'EUR' } } });
    expect(() => synth(noSecret)).toThrow(/uses secrets\(\) from @lambdakit\/config.*\{ config: \{ secret/);
    const whole = testStack();
    new LambdakitFunction(whole, 'Fn', {
      entry: fixture('configured'),
      config: { values: { currency: 'EUR' }, secret: { generate: 'apiKey' } },
    });
    expect(() => synth(whole)).not.toThrow();
  });

  it('refuses batch() behind an event source that does not report batch item failures; SqsSource does', () => {
    const stack = testStack();
    const fn = new LambdakitFunction(stack, 'Fn', { entry: fixture('batched') });
    fn.addEventSource(new SqsEventSource(new Queue(stack, 'Plain', { visibilityTimeout: Duration.minutes(3) })));
    expect(() => synth(stack)).toThrow(
      /uses batch\(\) from @lambdakit\/batch, but the event source .* does not report batch item failures/,
    );
    const fixed = testStack();
    new SqsSource(fixed, 'Source', { function: new LambdakitFunction(fixed, 'Fn', { entry: fixture('batched') }) });
    expect(() => synth(fixed)).not.toThrow();
  });

  it('checks a mapping made through an alias too, where the function has no mapping of its own', () => {
    const stack = testStack();
    const fn = new LambdakitFunction(stack, 'Fn', { entry: fixture('batched') });
    const live = new Alias(stack, 'Live', { aliasName: 'live', version: fn.currentVersion });
    live.addEventSource(new SqsEventSource(new Queue(stack, 'Plain', { visibilityTimeout: Duration.minutes(3) })));
    expect(() => synth(stack)).toThrow(/Test\/Live\/SqsEventSource:TestPlain\w+ does not report batch item failures/);
  });

  it('takes a table of your own for the resilience state, as RESILIENCE_TABLE with the four item actions', () => {
    const stack = testStack();
    const fn = new LambdakitFunction(stack, 'Fn', {
      entry: fixture('guarded'),
      stateTable: Table.fromTableName(stack, 'Shared', 'shared-state'),
    });
    const template = synth(stack);
    expect([...fn.needs]).toEqual(['stateTable']);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { RESILIENCE_TABLE: 'shared-state' } },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
            Resource: [Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith([':table/shared-state'])]) })],
          }),
        ]),
      },
    });
    const bare = testStack();
    new LambdakitFunction(bare, 'Fn', { entry: fixture('guarded') });
    expect(() => synth(bare)).toThrow(
      /uses dynamoDbStateStore\(\) from @lambdakit\/resilience.*give it \{ stateTable \}/,
    );
  });

  it('grants ssm:GetParameter as well when the handler reads through the Parameters and Secrets extension', () => {
    const stack = testStack();
    new LambdakitFunction(stack, 'Fn', { entry: fixture('extension'), config: { values: { currency: 'EUR' } } });
    synth(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Action: ['ssm:GetParametersByPath', 'ssm:GetParameter'] })]),
      },
    });
  });

  it('makes its function depend on its settings, and removes its bundle folder once CDK has copied it', () => {
    const stack = testStack();
    const fn = new LambdakitFunction(stack, 'Fn', { entry: fixture('plain'), config: { values: { a: '1' } } });
    const [resource] = Object.values(synth(stack).findResources('AWS::Lambda::Function'));
    expect(resource!.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^FnConfigBasea/)]));
    expect(existsSync(fn.bundle.dir)).toBe(false);
  });

  it('turns active tracing on for a handler that uses the tracer, and leaves it off otherwise', () => {
    const stack = testStack();
    new LambdakitFunction(stack, 'Traced', { entry: fixture('traced'), handler: 'tracedHandler' });
    new LambdakitFunction(stack, 'Plain', { entry: fixture('plain') });
    const functions = Object.values(synth(stack).findResources('AWS::Lambda::Function'));
    expect(functions.map((f) => [f.Properties.Handler, f.Properties.TracingConfig])).toEqual([
      ['index.tracedHandler', { Mode: 'Active' }],
      ['index.handler', undefined],
    ]);
  });

  it('watches a stream’s iterator age once a Kinesis source is added, and makes no alarms with alarms: false', () => {
    const stack = testStack();
    const fn = new LambdakitFunction(stack, 'Fn', { entry: fixture('plain') });
    fn.addEventSource(
      new KinesisEventSource(new Stream(stack, 'Stream'), { startingPosition: StartingPosition.LATEST }),
    );
    new LambdakitFunction(stack, 'Quiet', { entry: fixture('plain'), alarms: false });
    const alarms = Object.values(synth(stack).findResources('AWS::CloudWatch::Alarm'));
    expect(alarms.map((a) => a.Properties.MetricName).sort()).toEqual([
      'Errors',
      'Invocations',
      'IteratorAge',
      'Throttles',
    ]);
    expect(fn.alarms?.iteratorAge).toBeDefined();
  });

  it('names the function at synth, within Lambda’s 64 characters, unique per construct path', () => {
    const stack = testStack('AStackWithAVeryLongNameThatGoesOnAndOnAndOnForeverAndEver');
    const a = new LambdakitFunction(stack, 'Fn', { entry: fixture('plain') });
    const b = new LambdakitFunction(stack, 'Fn2', { entry: fixture('plain') });
    expect(a.physicalFunctionName).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
    expect(a.physicalFunctionName).not.toBe(b.physicalFunctionName);
    expect(
      new LambdakitFunction(stack, 'Named', { entry: fixture('plain'), functionName: 'orders' }).physicalFunctionName,
    ).toBe('orders');
  });
});

describe('LambdakitFunction: bad props are TypeErrors that name the prop', () => {
  const cases: [string, Record<string, unknown>, RegExp][] = [
    [
      'a missing export',
      { handler: 'main' },
      /\{ handler \}: .*plain\.ts has no export named main \(it exports handler\)/,
    ],
    [
      'an old runtime',
      { runtime: 'nodejs20.x' },
      /\{ runtime \}: expected 'nodejs22\.x' or 'nodejs24\.x', got nodejs20\.x/,
    ],
    [
      'a timeout inside the margin',
      { timeout: Duration.seconds(1), timeoutMarginMs: 500 },
      /\{ timeout \}: 1 second leaves less than a second of work before timeout\(\)'s margin of 500 ms/,
    ],
    ['a negative margin', { timeoutMarginMs: -1 }, /\{ timeoutMarginMs \}: expected a non-negative number/],
    [
      'an unknown log level',
      { logLevel: 'verbose' },
      /\{ logLevel \}: expected one of trace, debug, info, warn, error, fatal, got verbose/,
    ],
  ];
  it.each(cases)('%s', (_name, props, message) => {
    expect(() => new LambdakitFunction(testStack(), 'Fn', { entry: fixture('plain'), ...props })).toThrow(message);
  });

  it('an entry that does not bundle names the file and what esbuild said', () => {
    expect(
      () => new LambdakitFunction(testStack(), 'Fn', { entry: fixture('broken').replace(/\.ts$/, '.mjs') }),
    ).toThrow(/\{ entry \}: could not bundle .*broken\.mjs: .*also-missing/);
  });
});
