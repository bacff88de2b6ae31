import { Duration } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { testStack } from '../test/test-stack.js';
import { FunctionAlarms } from './index.js';

describe('FunctionAlarms', () => {
  it('alarms one minute apart on errors, throttles, the invocation rate, dead letters and iterator age, each with its actions', () => {
    const stack = testStack();
    const fn = new LambdaFunction(stack, 'Fn', {
      runtime: Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: Code.fromInline('export const handler = async () => 1;'),
    });
    const topic = new Topic(stack, 'Pager');
    const alarms = new FunctionAlarms(stack, 'Alarms', {
      function: fn,
      invocationsPerMinute: 50,
      actions: [new SnsAction(topic)],
    });
    alarms.watchDeadLetterQueue(new Queue(stack, 'Dlq'));
    alarms.watchIteratorAge(Duration.minutes(2));
    expect(alarms.watchIteratorAge()).toBe(alarms.iteratorAge);
    const found = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm')).map((a) => {
      const p = a.Properties;
      return [
        p.MetricName,
        p.Statistic,
        p.Period,
        p.Threshold,
        p.EvaluationPeriods,
        p.ComparisonOperator,
        p.TreatMissingData,
      ];
    });
    const atLeast = 'GreaterThanOrEqualToThreshold';
    expect(found.sort()).toEqual([
      ['ApproximateNumberOfMessagesVisible', 'Maximum', 60, 1, 1, atLeast, 'notBreaching'],
      ['Errors', 'Sum', 60, 1, 1, atLeast, 'notBreaching'],
      // More than 50 a minute, three minutes in a row.
      ['Invocations', 'Sum', 60, 51, 3, atLeast, 'notBreaching'],
      ['IteratorAge', 'Maximum', 60, 120_000, 3, atLeast, 'notBreaching'],
      ['Throttles', 'Sum', 60, 1, 1, atLeast, 'notBreaching'],
    ]);
    for (const alarm of Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm'))) {
      expect(alarm.Properties.AlarmActions).toEqual([{ Ref: expect.stringMatching(/^Pager/) }]);
      expect(alarm.Properties.OKActions).toEqual([{ Ref: expect.stringMatching(/^Pager/) }]);
    }
  });

  it('refuses an invocation rate that is not a whole number above 0', () => {
    const stack = testStack();
    const fn = LambdaFunction.fromFunctionName(stack, 'Fn', 'orders');
    expect(() => new FunctionAlarms(stack, 'A', { function: fn, invocationsPerMinute: 0.5 })).toThrow(
      /\{ invocationsPerMinute \}\): expected a whole number above 0, got 0\.5/,
    );
  });
});
