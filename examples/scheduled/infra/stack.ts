import { fileURLToPath } from 'node:url';
import { LambdakitFunction } from '@lambdakit/cdk';
import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Alias } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

/**
 * The nightly report as it deploys: the function with its settings in SSM (a dry run to a test
 * address by default, the real recipients for the `live` alias), the `live` alias the schedule
 * invokes at 02:00 UTC, and the queue each report goes to (the alias's on-success destination).
 */
export class NightlyReportStack extends Stack {
  readonly report: LambdakitFunction;
  readonly live: Alias;
  readonly reports: Queue;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, props);
    this.report = new LambdakitFunction(this, 'Report', {
      entry: fileURLToPath(new URL('../src/handler.ts', import.meta.url)),
      description: 'Builds the nightly report from a schedule; settings by alias from SSM',
      timeout: Duration.minutes(1),
      config: {
        values: { reportWindowHours: 24, recipients: ['reports-dev@example.com'], dryRun: true },
        // What only the `live` alias sees: invocations of $LATEST or a version stay dry runs.
        qualifiers: { live: { recipients: ['finance@example.com', 'ops@example.com'], dryRun: false } },
      },
    });
    this.reports = new Queue(this, 'Reports', { encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true });
    this.live = new Alias(this, 'Live', {
      aliasName: 'live',
      version: this.report.currentVersion,
      onSuccess: new SqsDestination(this.reports),
      // A scheduled run that fails is tried twice more, as for any asynchronous invocation.
      retryAttempts: 2,
    });
    new Rule(this, 'Nightly', {
      description: 'The nightly report, at 02:00 UTC',
      schedule: Schedule.cron({ minute: '0', hour: '2' }),
      targets: [new LambdaFunction(this.live)],
    });
  }
}
