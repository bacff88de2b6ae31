import { Duration } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  type IAlarmAction,
  type IMetric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** The props of {@link FunctionAlarms}, less the function (a `LambdakitFunction` takes them as its `alarms`). */
export interface FunctionAlarmsOptions {
  /**
   * More invocations than this a minute, three minutes in a row, raises the invocations alarm
   * (default 1000): a function that triggers itself (through a queue, a topic, a bucket) climbs
   * until something stops it. Set it well above the function's normal peak.
   */
  invocationsPerMinute?: number | undefined;
  /** What an alarm does when it fires and when it recovers (an SNS topic's action, …); default nothing. */
  actions?: readonly IAlarmAction[] | undefined;
}

/** The props of {@link FunctionAlarms}. */
export interface FunctionAlarmsProps extends FunctionAlarmsOptions {
  function: IFunction;
}

/**
 * CloudWatch alarms for the ways a lambdakit function fails, each one minute apart:
 * - `errors`: any invocation ended in an error (`Errors` ≥ 1; with partial batch responses a
 *   failed record is not an error: watch the dead-letter queue);
 * - `throttles`: Lambda refused an invocation for want of concurrency (`Throttles` ≥ 1);
 * - `invocations`: the invocation rate passed `invocationsPerMinute` for three minutes: a runaway
 *   loop (Lambda's own recursion detection stops only loops through SQS, SNS and S3 it can trace);
 * - `deadLetters` (one per queue watched): a message reached a dead-letter queue and waits there;
 * - `iteratorAge` (when a stream is watched): the oldest record waited longer than the threshold,
 *   so the function is falling behind its Kinesis or DynamoDB stream.
 * Missing data is "not breaching": a function nobody calls is healthy.
 */
export class FunctionAlarms extends Construct {
  /** Any invocation failed. */
  readonly errors: Alarm;
  /** An invocation was throttled. */
  readonly throttles: Alarm;
  /** The invocation rate passed `invocationsPerMinute` for three minutes. */
  readonly invocations: Alarm;
  /** One per dead-letter queue watched. */
  readonly deadLetters: Alarm[] = [];
  /** The stream alarm, once a stream is watched. */
  iteratorAge: Alarm | undefined;
  private readonly fn: IFunction;
  private readonly actions: readonly IAlarmAction[];

  constructor(scope: Construct, id: string, props: FunctionAlarmsProps) {
    super(scope, id);
    const rate = props.invocationsPerMinute ?? 1000;
    if (!Number.isInteger(rate) || rate < 1) {
      throw new TypeError(
        `new FunctionAlarms(…, { invocationsPerMinute }): expected a whole number above 0, got ${rate}`,
      );
    }
    this.fn = props.function;
    this.actions = props.actions ?? [];
    const minute = { period: Duration.minutes(1), statistic: 'Sum' };
    this.errors = this.alarm('Errors', this.fn.metricErrors(minute), 1, 1, 'an invocation failed');
    this.throttles = this.alarm('Throttles', this.fn.metricThrottles(minute), 1, 1, 'an invocation was throttled');
    this.invocations = this.alarm(
      'Invocations',
      this.fn.metricInvocations(minute),
      rate + 1,
      3,
      `more than ${rate} invocations a minute for three minutes: a runaway loop?`,
    );
  }

  /** Adds an alarm on a dead-letter queue: a message is waiting in it (`ApproximateNumberOfMessagesVisible` ≥ 1). */
  watchDeadLetterQueue(queue: IQueue): Alarm {
    const metric = queue.metricApproximateNumberOfMessagesVisible({
      period: Duration.minutes(1),
      statistic: 'Maximum',
    });
    const alarm = this.alarm(
      `DeadLetters${this.deadLetters.length || ''}`,
      metric,
      1,
      1,
      'a message reached the dead-letter queue',
    );
    this.deadLetters.push(alarm);
    return alarm;
  }

  /** Adds the stream alarm (once): the oldest record's age (`IteratorAge`, maximum) at or over `threshold` (default 5 minutes) for three minutes. */
  watchIteratorAge(threshold: Duration = Duration.minutes(5)): Alarm {
    if (this.iteratorAge !== undefined) return this.iteratorAge;
    const metric = this.fn.metric('IteratorAge', { period: Duration.minutes(1), statistic: 'Maximum' });
    this.iteratorAge = this.alarm(
      'IteratorAge',
      metric,
      threshold.toMilliseconds(),
      3,
      `records waited ${threshold.toHumanString()} or more: the function is falling behind its stream`,
    );
    return this.iteratorAge;
  }

  private alarm(id: string, metric: IMetric, threshold: number, periods: number, what: string): Alarm {
    const alarm = new Alarm(this, id, {
      metric,
      threshold,
      evaluationPeriods: periods,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: `${this.fn.node.path}: ${what}`,
    });
    for (const action of this.actions) {
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
    }
    return alarm;
  }
}
