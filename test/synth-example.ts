// An example's CDK app synthesised for its tests (examples/*/infra/stack.test.ts), and its
// functions run from the synthesised bundles with `lambdakit invoke`.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type LambdakitFunction, type LocalRun, resolveLocalRun } from '@lambdakit/cdk';
import { App, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll } from 'vitest';

const cli = fileURLToPath(new URL('../packages/cli/dist/bin.js', import.meta.url));

/** A synthesised example: its stack, template and functions as `lambdakit invoke` runs them. */
export interface SynthesisedExample<S extends Stack> {
  readonly stack: S;
  /** The template (after the file's `beforeAll`). */
  readonly template: Template;
  /** The function as the template deploys it (after the file's `beforeAll`). */
  localRun(fn: LambdakitFunction): LocalRun;
  /** Runs `lambdakit invoke` on the function's synthesised bundle with its settings, then `args`, in the example's folder. */
  invoke(
    fn: LambdakitFunction,
    args: string[],
    secretValues?: Record<string, unknown>,
  ): Promise<{ stdout: string; stderr: string }>;
}

/**
 * Builds the example's stack in an app of its own, synthesised in the file's `beforeAll` into a
 * folder inside the example (so a bundle finds the AWS SDK in node_modules, as Lambda's runtime
 * provides it), removed in its `afterAll`.
 */
export function synthesiseExample<S extends Stack>(exampleDir: string, build: (app: App) => S): SynthesisedExample<S> {
  mkdirSync(join(exampleDir, '.lambdakit'), { recursive: true });
  const outdir = mkdtempSync(join(exampleDir, '.lambdakit', 'synth-'));
  const app = new App({ outdir });
  const stack = build(app);
  let synthesised: { template: Template; runs: Map<LambdakitFunction, LocalRun> } | undefined;
  const state = () => {
    if (synthesised === undefined) throw new Error('synthesiseExample(): the app is synthesised in beforeAll');
    return synthesised;
  };
  beforeAll(() => {
    const assembly = app.synth();
    const runs = new Map<LambdakitFunction, LocalRun>();
    for (const fn of stack.node.findAll().filter((c): c is LambdakitFunction => 'physicalFunctionName' in c)) {
      runs.set(fn, resolveLocalRun(assembly, fn));
    }
    synthesised = { template: Template.fromStack(stack), runs };
  });
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));
  const localRun = (fn: LambdakitFunction) => state().runs.get(fn) ?? resolveLocalRun(app.synth(), fn);
  return {
    stack,
    get template() {
      return state().template;
    },
    localRun,
    async invoke(fn, args, secretValues) {
      const files = mkdtempSync(join(outdir, 'run-'));
      const invocation = [cli, ...localRun(fn).invokeArgs(files, secretValues), ...args];
      return promisify(execFile)(process.execPath, invocation, { cwd: exampleDir });
    },
  };
}
