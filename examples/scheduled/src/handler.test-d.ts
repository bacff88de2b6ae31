import { config } from '@lambdakit/config';
import { lambda } from '@lambdakit/core';
import { parse } from '@lambdakit/parser';
import { describe, expectTypeOf, it } from 'vitest';
import { handler, type ReportSummary, ScheduledEvent, Settings } from './handler.js';

describe('nightly-report types', () => {
  it('types ctx.config from Settings: numbers, a StringList and a flag, not the strings SSM holds', () => {
    lambda()
      .use(config({ schema: Settings }))
      .handle((_event, ctx) => {
        expectTypeOf(ctx.config).toEqualTypeOf<{ reportWindowHours: number; recipients: string[]; dryRun: boolean }>();
        return null;
      });
  });

  it('types the event as a Scheduled Event: fixed detail-type and source, the rule ARN alone in resources', () => {
    lambda()
      .use(parse(ScheduledEvent))
      .handle((event) => {
        expectTypeOf(event['detail-type']).toEqualTypeOf<'Scheduled Event'>();
        expectTypeOf(event.source).toEqualTypeOf<'aws.events'>();
        expectTypeOf(event.resources).toEqualTypeOf<[string]>();
        expectTypeOf(event.time).toEqualTypeOf<string>();
        return null;
      });
  });

  it('is a Lambda handler that takes any event and resolves to the report summary', () => {
    expectTypeOf(handler).parameter(0).toBeUnknown();
    expectTypeOf(handler).returns.toEqualTypeOf<Promise<ReportSummary>>();
  });
});
