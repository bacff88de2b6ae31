import { readFileSync } from 'node:fs';
import type { LocalDynamoTableSpec, startLocalDynamo } from '@lambdakit/testing';
import type { TestProject } from 'vitest/node';
import type { SharedDynamoAddress } from './shared-dynamo.js';

/**
 * Vitest global setup: starts the one dynalite of the test run on a random loopback port, creates
 * the fixed tables and hands its address to every test file (`inject('localDynamo')`, read by
 * test/shared-dynamo.ts); stops it when the run ends.
 */
export default async function setup(project: TestProject) {
  // Every project inherits this file through `extends: true` and vitest runs it once per project;
  // the root project's always runs and what it provides reaches every project, so only it starts one.
  if (!project.isRootProject()) return;
  // Loaded by tsx, not through vite: vite resolves the AWS SDK to its dist-es build and transforms
  // it (seconds in vitest's main process), node loads dist-cjs in a fraction of that.
  // local-dynamo.ts imports only the SDK and node builtins, so it needs none of vitest's aliases.
  const { tsImport } = await import('tsx/esm/api');
  const local = (await tsImport('../packages/testing/src/local-dynamo.ts', import.meta.url)) as {
    startLocalDynamo: typeof startLocalDynamo;
  };
  // The tables `npm start` in examples/orders-sqs seeds; its handler test uses them as they are.
  const tables = JSON.parse(
    readFileSync(new URL('../examples/orders-sqs/local/tables.json', import.meta.url), 'utf8'),
  ) as LocalDynamoTableSpec[];
  const dynamo = await local.startLocalDynamo({ tables });
  const address: SharedDynamoAddress = {
    endpoint: dynamo.endpoint,
    region: dynamo.region,
    credentials: dynamo.credentials,
  };
  project.provide('localDynamo', address);
  return () => dynamo.close();
}
