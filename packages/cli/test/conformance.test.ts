// `lambdakit invoke` against AWS's own Node.js runtime interface client (npm `aws-lambda-ric`):
// each case runs the same handler twice through the same local Runtime API, once under
// lambdakit's runtime and once under AWS's (`--runtime-client aws`), and the caller-visible
// answers must be identical: the payload, or the error payload's errorType, errorMessage and trace
// (the function's own frames; the runtimes' internal frames differ by file), the exit code, the
// platform lines and the runtime's own log lines.
//
// The references are built by scripts/build-runtime-clients.sh into a cache outside the repository
// (its manifest: $LAMBDAKIT_RUNTIME_CLIENTS, default ~/.cache/lambdakit/runtime-clients.json).
// Each runtime's cases run in the test run whose Node is that runtime's (CI runs the suite under
// Node 22 and 24). In CI a missing reference fails the suite; elsewhere the suite says how to build it.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Case, cases } from './conformance-cases.js';
import { type Observed, observe } from './conformance-observe.js';
import { binFile, packageDir } from './spawn-cli.js';

interface Reference {
  node: string;
  nodeVersion: string;
  ric: string;
  ricVersion: string;
}

const manifestFile =
  process.env.LAMBDAKIT_RUNTIME_CLIENTS ?? join(homedir(), '.cache', 'lambdakit', 'runtime-clients.json');
const runtime = process.versions.node.startsWith('22.')
  ? 'nodejs22.x'
  : process.versions.node.startsWith('24.')
    ? 'nodejs24.x'
    : undefined;

/**
 * This run's runtime's reference; `managedInstances` is the 4.x client, which Lambda runs for
 * every runtime under multi-concurrency (nodejs22.x included).
 */
function reference(): Ref | string {
  if (runtime === undefined) return `Node ${process.versions.node} is not a Lambda runtime's Node`;
  if (!existsSync(manifestFile)) return `no runtime references at ${manifestFile}`;
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Record<string, Reference>;
  const entry = manifest[runtime];
  const current = manifest['nodejs24.x'];
  if (entry === undefined || current === undefined) return `${manifestFile} has no reference for ${runtime}`;
  for (const { ric } of [entry, current]) {
    if (!existsSync(join(ric, 'package.json'))) return `aws-lambda-ric is missing at ${ric}`;
  }
  return { ...entry, managedInstances: current.ric };
}

type Ref = Reference & { managedInstances: string };

/** Runs a case through `lambdakit invoke` with one runtime client, under the runtime's own Node. */
function runCase(ref: Ref, item: Case, client: 'lambdakit' | 'aws'): Promise<Observed> {
  const concurrent = item.args?.includes('--concurrency') ?? false;
  const ric = concurrent ? ref.managedInstances : ref.ric;
  const args = [binFile, 'invoke', item.target, '--runtime', runtime!, '--runtime-client', client, '--event', '-'];
  const child = spawn(ref.node, [...args, ...(item.args ?? [])], {
    cwd: packageDir,
    env: { ...process.env, LAMBDAKIT_AWS_LAMBDA_RIC: ric, NO_COLOR: '1', ...item.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const stdout: Buffer[] = [];
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  child.stdin.end(JSON.stringify(item.event ?? {}));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve(observe(code, Buffer.concat(stdout), stderr, concurrent)));
  });
}

const ref = reference();
const required = process.env.CI === 'true' || process.env.LAMBDAKIT_CONFORMANCE === '1';
const label =
  typeof ref === 'string' ? `(${ref})` : `(${runtime}: aws-lambda-ric ${ref.ricVersion} on Node ${ref.nodeVersion})`;

describe(`lambdakit invoke conforms to AWS's runtime interface client ${label}`, () => {
  if (typeof ref === 'string') {
    // Not this run's runtime (a Node that is neither 22 nor 24): nothing to hold it against here.
    if (runtime === undefined) {
      it.skip(`runs under Node 22 and 24 (CI runs both): ${ref}`, () => undefined);
      return;
    }
    // CI must have built the reference; elsewhere, say how to build it.
    (required ? it : it.skip)(
      `needs AWS's runtime client: bash scripts/build-runtime-clients.sh --install-build-tools (${ref})`,
      () => {
        throw new Error(`conformance reference missing: ${ref}`);
      },
    );
    return;
  }
  for (const item of cases) {
    if (item.only !== undefined && item.only !== runtime) continue;
    it(item.name, { timeout: 60_000 }, async () => {
      const [ours, theirs] = await Promise.all([runCase(ref, item, 'lambdakit'), runCase(ref, item, 'aws')]);
      expect(ours).toEqual(theirs);
    });
  }
});

describe(`lambdakit invoke --runtime-client aws runs the sandbox ${label}`, () => {
  if (typeof ref === 'string') {
    it.skip(`needs AWS's runtime client (${ref})`, () => undefined);
    return;
  }
  const cli = (args: string[], env: Record<string, string> = {}) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(ref.node, [binFile, 'invoke', ...args, '--runtime', runtime!, '--runtime-client', 'aws'], {
        cwd: packageDir,
        env: { ...process.env, LAMBDAKIT_AWS_LAMBDA_RIC: ref.ric, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        stdout += chunk;
      });
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        stderr += chunk;
      });
      child.once('error', reject);
      child.once('close', (code) => resolve({ code, stdout, stderr }));
    });

  it("kills it at the deadline, with Lambda's timeout line and payload", { timeout: 60_000 }, async () => {
    const run = await cli(['test/fixtures/hang.mjs', '--timeout', '1']);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ errorType: 'Sandbox.Timedout' });
    expect(run.stderr).toMatch(/ Task timed out after 1\.00 seconds$/m);
    expect(run.stderr).toMatch(/^REPORT .*\tStatus: timeout$/m);
  });

  it('retries an --async event twice, then writes its dead letter', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lambdakit-ric-dlq-'));
    const run = await cli([
      'test/conformance/handlers.mjs#throwsError',
      '--async',
      '--retry-delay',
      '10',
      '--dlq-dir',
      dir,
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr.match(/^START /gm)).toHaveLength(3);
    const [letter] = readdirSync(dir).filter((name) => name.endsWith('.json'));
    const record = JSON.parse(readFileSync(join(dir, letter!), 'utf8')) as { attempts: unknown[] };
    expect(record.attempts).toHaveLength(3);
  });

  it('runs a durable execution, each of its invocations under the runtime client', { timeout: 60_000 }, async () => {
    const order = join(mkdtempSync(join(tmpdir(), 'lambdakit-ric-durable-')), 'order.json');
    writeFileSync(order, JSON.stringify({ id: 'o-ric', failCharges: 1 }));
    const run = await cli([
      'test/fixtures/durable-order.mjs',
      '--durable',
      '--event',
      order,
      '--callback',
      'payment={"paid":1}',
      '--timeout',
      '10',
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ payment: { paid: 1 }, charged: { charged: true } });
    expect(run.stderr.match(/^START /gm)?.length).toBeGreaterThanOrEqual(2);
    expect(run.stderr).toMatch(/STEP\s+charge\s+SUCCEEDED\s+.*2 attempts/);
  });
});
