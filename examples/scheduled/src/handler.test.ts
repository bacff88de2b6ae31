import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { SSMClient } from '@aws-sdk/client-ssm';
import { createContext, invoke, type LocalSsm, sampleEvent, startLocalSsm } from '@lambdakit/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { nightlyReport } from './handler.js';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const readJson = (path: string) => JSON.parse(readFileSync(here(path), 'utf8'));

// The same files `npm start` uses: the Scheduled Event, and the SSM parameters (base + `live` alias).
const schedule = readJson('../events/schedule.json');
const params = readJson('../local/params.json');

const base = { functionName: 'nightly-report', timeoutMs: 10_000 } as const;

let ssm: LocalSsm;

beforeAll(async () => {
  ssm = await startLocalSsm({ parameters: params });
});
afterAll(() => ssm?.close());
afterEach(() => {
  ssm.resume();
  ssm.clearFaults();
});

/**
 * A handler as a new sandbox would have it: its own SSM client (the config cache is per
 * client, so tests never share a loaded config) and the log and EMF lines it wrote.
 */
function sandbox() {
  const lines: Record<string, unknown>[] = [];
  const handler = nightlyReport({
    ssm: new SSMClient({ ...ssm.clientConfig, maxAttempts: 1 }),
    destination: { write: (line) => void lines.push(JSON.parse(line)) },
  });
  return { handler, lines, emf: () => lines.filter((line) => '_aws' in line) };
}

describe('nightly-report handler', () => {
  it('invoked through the live alias, uses the alias overrides and the base for the rest', async () => {
    const { handler } = sandbox();
    const outcome = await invoke(handler, schedule, { ...base, qualifier: 'live' });
    expect(outcome).toMatchObject({
      ok: true,
      result: {
        reportId: 'nightly-report/2025-03-01T02:00:00.000Z',
        rule: 'nightly-report',
        windowStart: '2025-02-28T02:00:00.000Z', // reportWindowHours 24: the base value, live does not override it
        windowEnd: '2025-03-01T02:00:00.000Z',
        windowHours: 24,
        deliverTo: ['finance@example.com', 'ops@example.com'],
        dryRun: false,
      },
    });
  });

  it('invoked unqualified or as $LATEST, uses the base values: a dry run addressed to nobody', async () => {
    const { handler } = sandbox();
    for (const qualifier of [undefined, '$LATEST']) {
      const outcome = await invoke(handler, schedule, { ...base, ...(qualifier ? { qualifier } : {}) });
      expect(outcome).toMatchObject({ ok: true, result: { windowHours: 24, deliverTo: [], dryRun: true } });
    }
  });

  it('reads SSM once per sandbox: warm invocations, of any alias, make no request', async () => {
    const { handler } = sandbox();
    const before = ssm.count();
    expect(await invoke(handler, schedule, { ...base, qualifier: 'live' })).toMatchObject({ ok: true });
    expect(ssm.count() - before).toBe(1);
    expect(ssm.requests.at(-1)).toMatchObject({
      operation: 'GetParametersByPath',
      body: { Path: '/lambdakit/nightly-report', Recursive: true },
    });
    for (const qualifier of ['live', 'live', '$LATEST']) {
      expect(await invoke(handler, schedule, { ...base, qualifier })).toMatchObject({ ok: true });
    }
    expect(ssm.count() - before).toBe(1);
  });

  it('rejects any event that is not a Scheduled Event with a ParseError, before reading SSM', async () => {
    const { handler } = sandbox();
    const before = ssm.count();
    const { time: _time, ...withoutTime } = schedule;
    const wrong = [
      sampleEvent('eventbridge'), // an EventBridge event, but "Order Placed" from a custom source
      { ...schedule, resources: [] },
      { ...schedule, time: 'yesterday' },
      withoutTime,
      sampleEvent('sqs'),
      {},
    ];
    for (const event of wrong) {
      const outcome = await invoke(handler, event, { ...base, qualifier: 'live' });
      expect(outcome).toMatchObject({ ok: false, error: { errorType: 'ParseError' } });
    }
    await expect(handler(sampleEvent('eventbridge'), createContext(base))).rejects.toMatchObject({
      name: 'ParseError',
      paths: ['detail-type', 'source', 'resources'],
    });
    expect(ssm.count()).toBe(before);
  });

  it('writes one EMF line per invocation with the function name, the report and the request id', async () => {
    const { handler, emf } = sandbox();
    await invoke(handler, schedule, { ...base, qualifier: 'live', requestId: 'req-warm-up' });
    const emfAfterColdStart = emf().length; // the report's line, and ColdStart once per process
    await invoke(handler, schedule, { ...base, qualifier: 'live', requestId: 'req-2' });
    expect(emf()).toHaveLength(emfAfterColdStart + 1);
    expect(emf().at(-1)).toMatchObject({
      _aws: {
        CloudWatchMetrics: [
          {
            Namespace: 'Reports',
            Dimensions: [['Service', 'FunctionName']],
            Metrics: [
              { Name: 'ReportsBuilt', Unit: 'Count' },
              { Name: 'ReportRecipients', Unit: 'Count' },
            ],
          },
        ],
      },
      Service: 'nightly-report',
      FunctionName: 'nightly-report',
      requestId: 'req-2',
      reportId: 'nightly-report/2025-03-01T02:00:00.000Z',
      ReportsBuilt: 1,
      ReportRecipients: 2,
    });
  });

  it('logs the report as one JSON line bound to the invocation', async () => {
    const { handler, lines } = sandbox();
    await invoke(handler, schedule, { ...base, requestId: 'req-dry' });
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 'INFO',
        service: 'nightly-report',
        requestId: 'req-dry',
        functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:nightly-report',
        correlationId: schedule.id, // the EventBridge event id
        message: 'dry run: report built, addressed to nobody',
        recipients: 0,
      }),
    );
  });

  it('fails with a ConfigError naming the parameter when a function has no settings in SSM', async () => {
    const { handler } = sandbox();
    const outcome = await invoke(handler, schedule, { ...base, functionName: 'nightly-report-eu', qualifier: 'live' });
    expect(outcome).toMatchObject({
      ok: false,
      error: {
        errorType: 'ConfigError',
        errorMessage: expect.stringContaining('/lambdakit/nightly-report-eu/recipients'),
      },
    });
  });

  it('gives up before the deadline when SSM does not answer the cold start', async () => {
    const { handler } = sandbox();
    ssm.pause();
    // 1 s timeout, 500 ms margin: ctx.signal aborts the wait for SSM long before invoke() would kill it.
    const outcome = await invoke(handler, schedule, { ...base, qualifier: 'live', timeoutMs: 1_000 });
    expect(outcome).toMatchObject({ ok: false, timedOut: false, error: { errorType: 'TimeoutError' } });
  });
});

// Spawns the CLI, a sandbox and local SSM: the limit guards against a hang on a loaded machine, it measures nothing.
describe('npm start (lambdakit invoke … --qualifier live --local-aws --params local/params.json)', {
  timeout: 60_000,
}, () => {
  it("prints the live alias's report on stdout and Lambda platform lines on stderr", async () => {
    const cwd = here('..');
    const bin = here('../../../packages/cli/dist/bin.js');
    // The very command of the package.json start script, so this test fails if the script breaks.
    const [command, ...args] = (readJson('../package.json').scripts.start as string).split(' ');
    expect(command).toBe('lambdakit');
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [bin, ...args], { cwd });
    expect(JSON.parse(stdout)).toEqual({
      reportId: 'nightly-report/2025-03-01T02:00:00.000Z',
      rule: 'nightly-report',
      windowStart: '2025-02-28T02:00:00.000Z',
      windowEnd: '2025-03-01T02:00:00.000Z',
      windowHours: 24,
      deliverTo: ['finance@example.com', 'ops@example.com'],
      dryRun: false,
    });
    expect(stderr).toMatch(/^START RequestId: \S+ Version: \$LATEST$/m);
    expect(stderr).toContain('"functionArn":"arn:aws:lambda:us-east-1:123456789012:function:nightly-report:live"');
    expect(stderr).toMatch(/"FunctionName":"nightly-report".*"ReportsBuilt":1/);
    expect(stderr).toMatch(/^REPORT RequestId: .*Init Duration: /m);
  });
});
