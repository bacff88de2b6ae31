import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type LocalRun, resolveLocalRun } from '@lambdakit/cdk';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NightlyReportStack } from './stack.js';

const exampleDir = fileURLToPath(new URL('..', import.meta.url));
// Inside the example, so the bundle finds the AWS SDK in node_modules as Lambda's runtime provides it.
mkdirSync(join(exampleDir, '.lambdakit'), { recursive: true });
const outdir = mkdtempSync(join(exampleDir, '.lambdakit', 'synth-'));
const app = new App({ outdir });
const stack = new NightlyReportStack(app, 'LambdakitNightlyReport');
let template: Template;
let run: LocalRun;

beforeAll(() => {
  const assembly = app.synth();
  template = Template.fromStack(stack);
  run = resolveLocalRun(assembly, stack.report);
});
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe('the scheduled CDK app, synthesised offline', () => {
  it('invokes the live alias at 02:00 UTC, which sends each report to a queue and retries a failed run twice', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'cron(0 2 * * ? *)',
      Targets: [Match.objectLike({ Arn: { Ref: Match.stringLikeRegexp('^Live') } })],
    });
    template.hasResourceProperties('AWS::Lambda::Alias', { Name: 'live' });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnSuccess: { Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Reports'), 'Arn'] } } },
    });
  });

  it('writes the base settings and the live alias’s overrides under the function’s path', () => {
    const path = `/lambdakit/${run.functionName}`;
    expect(run.parameters).toEqual({
      [`${path}/reportWindowHours`]: '24',
      [`${path}/recipients`]: ['reports-dev@example.com'],
      [`${path}/dryRun`]: 'true',
      [`${path}/live/recipients`]: ['finance@example.com', 'ops@example.com'],
      [`${path}/live/dryRun`]: 'false',
    });
    template.hasResourceProperties('AWS::SSM::Parameter', { Name: `${path}/recipients`, Type: 'StringList' });
  });

  it('grants GetParametersByPath on that path, sending to the reports queue, and nothing with a * resource', () => {
    const [policy] = Object.values(template.findResources('AWS::IAM::Policy'));
    const statements = policy!.Properties.PolicyDocument.Statement as { Action: unknown; Resource: unknown }[];
    expect(statements.map((s) => s.Action)).toEqual([
      'ssm:GetParametersByPath',
      ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'],
    ]);
    expect(statements[1]!.Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Reports/), 'Arn'] });
    expect(JSON.stringify(statements)).not.toContain('"*"');
  });

  it('bundles the handler without aws-cdk-lib', () => {
    expect(readFileSync(run.file, 'utf8')).not.toMatch(/aws-cdk-lib/);
  });
});

// Spawns the CLI, a sandbox and local SSM: the limit guards against a hang on a loaded machine, it measures nothing.
describe('the synthesised bundle, run by lambdakit invoke with the template’s settings', { timeout: 60_000 }, () => {
  it('sends the live alias’s report to its recipients, and $LATEST’s as a dry run', async () => {
    const bin = fileURLToPath(new URL('../../../packages/cli/dist/bin.js', import.meta.url));
    const invoke = async (qualifier: string[]) => {
      const args = run.invokeArgs(mkdtempSync(join(outdir, 'run-')));
      const { stdout } = await promisify(execFile)(
        process.execPath,
        [bin, ...args, ...qualifier, '--event', 'events/schedule.json'],
        { cwd: exampleDir },
      );
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
