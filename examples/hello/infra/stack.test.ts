import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type LocalRun, resolveLocalRun } from '@lambdakit/cdk';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HelloStack } from './stack.js';

const exampleDir = fileURLToPath(new URL('..', import.meta.url));
mkdirSync(join(exampleDir, '.lambdakit'), { recursive: true });
const outdir = mkdtempSync(join(exampleDir, '.lambdakit', 'synth-'));
const app = new App({ outdir });
const stack = new HelloStack(app, 'LambdakitHello');
let template: Template;
let run: LocalRun;

beforeAll(() => {
  const assembly = app.synth();
  template = Template.fromStack(stack);
  run = resolveLocalRun(assembly, stack.hello);
});
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe('the hello CDK app, synthesised offline', () => {
  it('deploys one function with no permissions beyond its logs, a log group kept a month, and three alarms', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Timeout: 3,
      MemorySize: 256,
      RecursiveLoop: 'Terminate',
    });
    template.resourceCountIs('AWS::IAM::Policy', 0);
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    template.resourceCountIs('AWS::CloudWatch::Alarm', 3);
  });
});

// Spawns the CLI and a sandbox: the limit guards against a hang on a loaded machine, it measures nothing.
describe('the synthesised bundle, run by lambdakit invoke with the template’s settings', { timeout: 60_000 }, () => {
  it('greets, with the function’s deployed name, memory and timeout', async () => {
    const bin = fileURLToPath(new URL('../../../packages/cli/dist/bin.js', import.meta.url));
    const args = run.invokeArgs(mkdtempSync(join(outdir, 'run-')));
    expect(args).toEqual(expect.arrayContaining(['--timeout', '3', '--memory', '256', '--runtime', 'nodejs24.x']));
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      [bin, ...args, '--event', 'events/hello.json'],
      {
        cwd: exampleDir,
      },
    );
    expect(JSON.parse(stdout)).toMatchObject({ message: 'Hello, lambdakit!', coldStart: true });
    expect(stderr).toMatch(/Memory Size: 256 MB/);
  });
});
