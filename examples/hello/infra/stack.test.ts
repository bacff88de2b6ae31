import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { synthesiseExample } from '../../../test/synth-example.js';
import { HelloStack } from './stack.js';

const exampleDir = fileURLToPath(new URL('..', import.meta.url));
const example = synthesiseExample(exampleDir, (app) => new HelloStack(app, 'LambdakitHello'));
const { stack } = example;

describe('the hello CDK app, synthesised offline', () => {
  it('deploys one function with no permissions beyond its logs, a log group kept a month, and three alarms', () => {
    example.template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Timeout: 3,
      MemorySize: 256,
      RecursiveLoop: 'Terminate',
    });
    // Its own log group only: no AWSLambdaBasicExecutionRole (logs:* on every group).
    example.template.resourceCountIs('AWS::IAM::Role', 1);
    example.template.hasResourceProperties('AWS::IAM::Role', { ManagedPolicyArns: Match.absent() });
    example.template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          {
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            Effect: 'Allow',
            Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^HelloLogs'), 'Arn'] },
          },
        ],
      },
    });
    example.template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    example.template.resourceCountIs('AWS::CloudWatch::Alarm', 3);
  });
});

// Spawns the CLI and a sandbox: the limit guards against a hang on a loaded machine, it measures nothing.
describe('the synthesised bundle, run by lambdakit invoke with the template’s settings', { timeout: 60_000 }, () => {
  it('greets, with the function’s deployed name, memory and timeout', async () => {
    const files = mkdtempSync(join(tmpdir(), 'lambdakit-hello-'));
    const args = example.localRun(stack.hello).invokeArgs(files);
    rmSync(files, { recursive: true });
    expect(args).toEqual(expect.arrayContaining(['--timeout', '3', '--memory', '256', '--runtime', 'nodejs24.x']));
    const { stdout, stderr } = await example.invoke(stack.hello, ['--event', 'events/hello.json']);
    expect(JSON.parse(stdout)).toMatchObject({ message: 'Hello, lambdakit!', coldStart: true });
    expect(stderr).toMatch(/Memory Size: 256 MB/);
  });
});
