import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { afterAll } from 'vitest';

const outdirs: string[] = [];
afterAll(() => {
  for (const dir of outdirs) rmSync(dir, { recursive: true, force: true });
});

/** A stack in an app of its own, synthesised into a folder this test file removes when it ends (CDK's default would stay in the temp folder). */
export function testStack(id = 'Test'): Stack {
  const outdir = mkdtempSync(join(tmpdir(), 'lambdakit-cdk-test-'));
  outdirs.push(outdir);
  return new Stack(new App({ outdir }), id);
}
