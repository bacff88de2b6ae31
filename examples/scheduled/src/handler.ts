import type { SSMClient } from '@aws-sdk/client-ssm';
import { config } from '@lambdakit/config';
import { type LineDestination, lambda, stdoutDestination, timeout } from '@lambdakit/core';
import { logger } from '@lambdakit/logger';
import { metrics } from '@lambdakit/metrics';
import { eventbridge, parse } from '@lambdakit/parser';
import * as z from 'zod';

// Scheduled rules live on the default event bus only, so the ARN is `…:rule/<name>`.
const RULE_ARN = /^arn:aws[a-z-]*:events:[a-z0-9-]+:\d{12}:rule\/([A-Za-z0-9._-]{1,64})$/;
const HOUR_MS = 3_600_000;

/**
 * The event an EventBridge schedule rule sends its target: `detail` is always `{}`, `time` is
 * the scheduled time (not the delivery time) and `resources` holds the rule's ARN, alone.
 */
export const ScheduledEvent = eventbridge(z.object({})).extend({
  'detail-type': z.literal('Scheduled Event'),
  source: z.literal('aws.events'),
  time: z.iso.datetime(),
  resources: z.tuple([z.string().regex(RULE_ARN, 'expected the ARN of an EventBridge rule')]),
});

/**
 * The function's settings, read from SSM under `/lambdakit/nightly-report/`, with an alias's
 * overrides under `/lambdakit/nightly-report/<alias>/` (see README.md). SSM values are strings.
 */
export const Settings = z.object({
  /** How many hours before the scheduled time the report covers. */
  reportWindowHours: z.coerce.number().int().min(1).max(168),
  /** Who receives the report: a StringList parameter. */
  recipients: z.array(z.email()).min(1),
  /** Build and log the report but address it to nobody. */
  dryRun: z.stringbool(),
});

/** What one run returns: Lambda passes it to the function's on-success destination, whose consumer mails it. */
export interface ReportSummary {
  /** The same for every delivery of one scheduled event (EventBridge delivers at least once), so a consumer can drop duplicates. */
  reportId: string;
  /** The schedule rule that triggered the run. */
  rule: string;
  /** Start of the reporting window, inclusive, ISO 8601. */
  windowStart: string;
  /** End of the reporting window, exclusive: the event's scheduled `time`. */
  windowEnd: string;
  windowHours: number;
  /** The recipients to mail the report to; empty on a dry run. */
  deliverTo: string[];
  dryRun: boolean;
}

/** Options of {@link nightlyReport}: the edges tests replace. */
export interface NightlyReportOptions {
  /** The SSM client settings are read with (default: `@lambdakit/config`'s shared client for the region). */
  ssm?: SSMClient;
  /** Where log lines and EMF metric lines go (default: stdout, which Lambda sends to CloudWatch Logs). */
  destination?: LineDestination;
}

/**
 * Builds the nightly report handler: validates the Scheduled Event, loads the settings for the
 * invoked alias, and summarises the report for the window ending at the scheduled time.
 */
export function nightlyReport(options: NightlyReportOptions = {}) {
  const destination = options.destination ?? stdoutDestination();
  return (
    lambda()
      .use(logger({ destination, persistentKeys: { service: 'nightly-report' } }))
      // One writer for logs and metrics, so an EMF line never interleaves with a log line.
      .use(metrics({ namespace: 'Reports', service: 'nightly-report', destination }))
      .use(timeout({ marginMs: 500 }))
      .use(parse(ScheduledEvent))
      // Loaded once per sandbox; a cold start waits for SSM within ctx.signal, so a slow SSM ends in
      // a TimeoutError before Lambda's deadline rather than in a killed sandbox.
      .use(config({ schema: Settings, client: options.ssm }))
      .handle(async (event, ctx): Promise<ReportSummary> => {
        const { reportWindowHours, recipients, dryRun } = ctx.config;
        const [ruleArn] = event.resources;
        const rule = RULE_ARN.exec(ruleArn)?.[1] ?? ruleArn;
        const windowEnd = new Date(event.time);
        const windowStart = new Date(windowEnd.getTime() - reportWindowHours * HOUR_MS);
        const summary: ReportSummary = {
          reportId: `${rule}/${windowEnd.toISOString()}`,
          rule,
          windowStart: windowStart.toISOString(),
          windowEnd: windowEnd.toISOString(),
          windowHours: reportWindowHours,
          deliverTo: dryRun ? [] : [...recipients],
          dryRun,
        };

        ctx.log.info(
          { reportId: summary.reportId, windowStart: summary.windowStart, recipients: summary.deliverTo.length },
          dryRun ? 'dry run: report built, addressed to nobody' : 'report built',
        );
        ctx.metrics.addDimension('FunctionName', ctx.functionName);
        ctx.metrics.add('ReportsBuilt', 'Count', 1);
        ctx.metrics.add('ReportRecipients', 'Count', summary.deliverTo.length);
        ctx.metrics.addMetadata('reportId', summary.reportId);
        return summary;
      })
  );
}

/** The Lambda handler: `nightlyReport()` with its default SSM client and stdout. */
export const handler = nightlyReport();
