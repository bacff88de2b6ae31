import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { synthesiseExample } from '../../../test/synth-example.js';
import { NightlyReportStack } from './stack.js';

const exampleDir = fileURLToPath(new URL('..', import.meta.url));
const example = synthesiseExample(exampleDir, (app) => new NightlyReportStack(app, 'LambdakitNightlyReport'));
const { stack } = example;
const run = () => example.localRun(stack.report);

describe('the scheduled CDK app, synthesised offline', () => {
  it('invokes the live alias at 02:00 UTC, which sends each report to a queue and retries a failed run twice', () => {
    example.template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'cron(0 2 * * ? *)',
      Targets: [Match.objectLike({ Arn: { Ref: Match.stringLikeRegexp('^Live') } })],
    });
    example.template.hasResourceProperties('AWS::Lambda::Alias', { Name: 'live' });
    example.template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnSuccess: { Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Reports'), 'Arn'] } } },
    });
  });

  it('writes the base settings and the live alias’s overrides under the function’s path', () => {
    const path = `/lambdakit/${run().functionName}`;
    expect(run().parameters).toEqual({
      [`${path}/reportWindowHours`]: '24',
      [`${path}/recipients`]: ['reports-dev@example.com'],
      [`${path}/dryRun`]: 'true',
      [`${path}/live/recipients`]: ['finance@example.com', 'ops@example.com'],
      [`${path}/live/dryRun`]: 'false',
    });
    example.template.hasResourceProperties('AWS::SSM::Parameter', { Name: `${path}/recipients`, Type: 'StringList' });
  });

  it('grants its own logs, GetParametersByPath on that path, sending to the reports queue, and nothing with a * resource', () => {
    const [policy] = Object.values(example.template.findResources('AWS::IAM::Policy'));
    const statements = policy!.Properties.PolicyDocument.Statement as { Action: unknown; Resource: unknown }[];
    expect(statements.map((s) => s.Action)).toEqual([
      ['logs:CreateLogStream', 'logs:PutLogEvents'],
      'ssm:GetParametersByPath',
      ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'],
    ]);
    expect(statements[2]!.Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Reports/), 'Arn'] });
    example.template.hasResourceProperties('AWS::IAM::Role', { ManagedPolicyArns: Match.absent() });
    expect(JSON.stringify(statements)).not.toContain('"*"');
  });

  it('bundles the handler without aws-cdk-lib', () => {
    expect(readFileSync(run().file, 'utf8')).not.toMatch(/aws-cdk-lib/);
  });
});

// Spawns the CLI, a sandbox and local SSM: the limit guards against a hang on a loaded machine, it measures nothing.
describe('the synthesised bundle, run by lambdakit invoke with the template’s settings', { timeout: 60_000 }, () => {
  it('sends the live alias’s report to its recipients, and $LATEST’s as a dry run', async () => {
    const invoke = async (qualifier: string[]) => {
      const { stdout } = await example.invoke(stack.report, [...qualifier, '--event', 'events/schedule.json']);
      return JSON.parse(stdout) as { deliverTo: string[]; dryRun: boolean; windowHours: number };
    };
    expect(await invoke(['--qualifier', 'live'])).toMatchObject({
      deliverTo: ['finance@example.com', 'ops@example.com'],
      dryRun: false,
      windowHours: 24,
    });
    expect(await invoke([])).toMatchObject({ deliverTo: [], dryRun: true });
  });
});
