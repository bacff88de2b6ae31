import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { CliError, EXIT_FUNCTION_ERROR, EXIT_OK } from './cli-error.js';
import { DurableBridge, type DurableStateClient } from './durable-bridge.js';
import { answerCallback, type CallbackAnswer } from './durable-callbacks.js';
import { printExecution } from './durable-report.js';
import { type StartedCallback, timeTravel } from './durable-time-travel.js';
import { answerHint, ExecutionWatch } from './durable-watch.js';
import { invokeOnce } from './invoke-once.js';
import type { Run } from './invoke-run.js';
import { type DurableTesting, loadDurableRunner } from './load-durable-runner.js';
import { payloadOf } from './write-payload.js';

/** What `--durable` adds to a run: whether time is skipped, and the callbacks' answers by name. */
export interface DurableSettings {
  skipTime: boolean;
  answers: Map<string, CallbackAnswer>;
}

/** What AWS's runner passes the handler: Lambda's durable envelope, with the runner's own client. */
interface RunnerEvent {
  DurableExecutionArn: string;
  CheckpointToken: string;
  InitialExecutionState: unknown;
  durableExecutionClient?: DurableStateClient;
}

type Runner = InstanceType<DurableTesting['LocalDurableTestRunner']>;
type Execution = Awaited<ReturnType<Runner['run']>>;

/** One `--durable` run: the runner, the endpoint, the watch, and how its invocations went. */
interface DurableRun {
  run: Run;
  bridge: DurableBridge;
  watch: ExecutionWatch;
  invocations: number;
  /** The payload of the invocation that stopped the execution, for stdout. */
  failure: string | undefined;
}

const STATUSES = new Set(['SUCCEEDED', 'FAILED', 'PENDING']);

/**
 * `lambdakit invoke --durable`: one durable execution, orchestrated by AWS's local runner (its
 * checkpoint store, its scheduling of waits, retries and callbacks), each of its invocations run in
 * the sandbox as any invocation is (START/END/REPORT, deadline, warm or cold). The function's SDK
 * reaches the runner's store through a local endpoint of Lambda's checkpoint API. The result (or
 * the execution's error) goes to stdout, each operation with its status and duration to stderr.
 */
export async function invokeDurable(run: Run, settings: DurableSettings): Promise<number> {
  const testing = await loadDurableRunner(run.io.cwd);
  const { LocalDurableTestRunner, WaitingOperationStatus } = testing;
  const watch = new ExecutionWatch(settings.skipTime, run.io.stderr);
  let runner: Runner | undefined;
  const onCallback = (callback: StartedCallback) => {
    const answer = callback.answeredAs === undefined ? undefined : settings.answers.get(callback.answeredAs);
    if (answer === undefined || runner === undefined) return noteUnanswered(durableRun, callback);
    const target = { ...callback, name: callback.answeredAs ?? '' };
    void answerCallback(runner, target, answer, WaitingOperationStatus, run.io.stderr);
  };
  const onChainedInvoke = () =>
    watch.stop(
      new CliError('CLI_USAGE', 'ctx.invoke() calls another function, which lambdakit invoke --durable does not run'),
    );
  const time = timeTravel(settings.skipTime, settings.answers.keys(), onCallback, onChainedInvoke);
  const bridge = await DurableBridge.start(time);
  const durableRun: DurableRun = { run, bridge, watch, invocations: 0, failure: undefined };
  run.env = { ...run.env, AWS_ENDPOINT_URL_LAMBDA: bridge.url, ...placeholderCredentials(run) };
  // Real timers: the runner's skipTime fakes the clock of the whole process, this CLI's included.
  await LocalDurableTestRunner.setupTestEnvironment({ skipTime: false });
  try {
    runner = new LocalDurableTestRunner({
      // The runner reads the function's answer (SUCCEEDED, FAILED or PENDING) as it comes.
      handlerFunction: (event: unknown) => invokeInSandbox(durableRun, event as RunnerEvent) as Promise<never>,
    });
    const startedAt = performance.now();
    const execution = await runExecution(durableRun, runner);
    if (execution === undefined) return EXIT_FUNCTION_ERROR;
    printExecution(run.io.stderr, execution, time, {
      invocations: durableRun.invocations,
      ms: performance.now() - startedAt,
    });
    for (const name of time.unclaimed) {
      run.io.stderr.write(`lambdakit: note: --callback ${name}: the execution started no callback of that name\n`);
    }
    return writeOutcome(run, execution);
  } finally {
    watch.close();
    await LocalDurableTestRunner.teardownTestEnvironment();
    await bridge.close();
  }
}

/** The execution, run to its end; `undefined` when an invocation stopped it (what it said is printed). */
async function runExecution(durableRun: DurableRun, runner: Runner): Promise<Execution | undefined> {
  const { run, watch } = durableRun;
  try {
    return await Promise.race([runner.run({ payload: run.event.value }), watch.stopped]);
  } catch (error) {
    // Interrupted: the signal handler stops the run and exits with 130; nothing more is printed.
    if (run.interrupt.signal.aborted) await run.interruption;
    if (error instanceof CliError) throw error;
    const message =
      error instanceof Error
        ? error.message
        : String((error as { error?: { ErrorMessage?: unknown } })?.error?.ErrorMessage ?? JSON.stringify(error));
    run.io.stderr.write(`lambdakit: durable: the local runner stopped the execution: ${message}\n`);
    run.io.stdout.write(
      `${durableRun.failure ?? JSON.stringify({ errorType: 'Runner.Stopped', errorMessage: message })}\n`,
    );
    return undefined;
  }
}

/**
 * One invocation of the execution, in the sandbox: the envelope Lambda sends a durable function
 * (operations with ISO timestamps, as on the wire), the function's answer back to the runner.
 */
async function invokeInSandbox(durableRun: DurableRun, event: RunnerEvent): Promise<unknown> {
  const { run, bridge, watch } = durableRun;
  if (typeof event.durableExecutionClient?.checkpoint !== 'function') {
    throw new CliError(
      'CLI_SETUP_FAILED',
      'this version of @aws/durable-execution-sdk-js-testing hands its handler no checkpoint client; lambdakit invoke --durable needs 1.1',
    );
  }
  bridge.attach(event.DurableExecutionArn, event.durableExecutionClient);
  const body = JSON.stringify({
    DurableExecutionArn: event.DurableExecutionArn,
    CheckpointToken: event.CheckpointToken,
    InitialExecutionState: event.InitialExecutionState,
  });
  durableRun.invocations++;
  watch.invocationStarted();
  const outcome = await invokeOnce(run, randomUUID(), undefined, body);
  if (outcome.status === 'success') {
    const output = durableOutput(outcome.payload?.toString() ?? 'null');
    if (output !== undefined) {
      watch.invocationEnded(output.Status);
      return output;
    }
    durableRun.failure = outcome.payload?.toString();
    throw new Error(
      `the function answered ${durableRun.failure?.slice(0, 200)}, not a durable execution's answer: is its handler wrapped in withDurableExecution() or durable()?`,
    );
  }
  // Lambda retries an invocation that failed outside the SDK's answer; AWS's local runner stops
  // the execution instead, which is what happens here (the README says so).
  durableRun.failure = payloadOf(outcome).toString();
  const errorType = outcome.error?.errorType ?? 'Unknown';
  const what = outcome.status === 'timeout' ? 'timed out' : `failed (${errorType})`;
  const hint = /Credential/.test(errorType + durableRun.failure) ? credentialsHint : '';
  throw new Error(`invocation ${outcome.requestId} ${what}: the execution stops here (Lambda would retry it)${hint}`);
}

const credentialsHint =
  '; the function signs its checkpoint calls: give the shell AWS credentials (any keys do for the local endpoint)';

/** The SDK's answer to an invocation, or `undefined` when the function answered something else. */
function durableOutput(text: string): { Status: string } | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const status = (value as { Status?: unknown } | null)?.Status;
  return typeof status === 'string' && STATUSES.has(status) ? (value as { Status: string }) : undefined;
}

/** Prints the result (exit 0) or, for an execution that failed or timed out, its error (exit 1). */
function writeOutcome(run: Run, execution: Execution): number {
  if (execution.getStatus() === 'SUCCEEDED') {
    run.io.stdout.write(`${JSON.stringify(execution.getResult() ?? null)}\n`);
    return EXIT_OK;
  }
  const { errorType, errorMessage, errorData, stackTrace } = execution.getError();
  const error = { errorType: errorType ?? 'Unknown', errorMessage: errorMessage ?? '', errorData, stackTrace };
  run.io.stdout.write(`${JSON.stringify(error)}\n`);
  return EXIT_FUNCTION_ERROR;
}

/**
 * Says what becomes of a callback nobody answers: with time skipped it times out at once; in real
 * time it waits for its timeout. One without a timeout is watched (see {@link ExecutionWatch}).
 */
function noteUnanswered({ run, watch }: DurableRun, callback: StartedCallback): void {
  const name = callback.names.at(-1) ?? callback.id;
  if (callback.timeoutSeconds === undefined) {
    watch.waitsForever(callback.id, name);
    return;
  }
  const when = watch.skip ? `now (its ${callback.timeoutSeconds} s skipped)` : `in ${callback.timeoutSeconds} s`;
  run.io.stderr.write(
    `lambdakit: durable: callback "${name}" has no answer: it times out ${when}; ${answerHint(name)}\n`,
  );
}

/**
 * The function's SDK signs its checkpoint calls. A shell with no AWS credentials anywhere (no
 * keys, profile, web identity, container role or shared files) gives the sandbox placeholder
 * keys, which the local endpoint takes; a note says so.
 */
function placeholderCredentials(run: Run): Record<string, string> {
  const { env } = run;
  const given = [
    'AWS_ACCESS_KEY_ID',
    'AWS_PROFILE',
    'AWS_WEB_IDENTITY_TOKEN_FILE',
    'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
    'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  ].some((key) => env[key] !== undefined);
  if (given) return {};
  const files = [
    env.AWS_SHARED_CREDENTIALS_FILE ?? join(homedir(), '.aws', 'credentials'),
    env.AWS_CONFIG_FILE ?? join(homedir(), '.aws', 'config'),
  ];
  if (files.some((file) => existsSync(file))) return {};
  run.io.stderr.write('lambdakit: note: no AWS credentials in this shell: the function gets placeholder keys\n');
  return { AWS_ACCESS_KEY_ID: 'lambdakit-local', AWS_SECRET_ACCESS_KEY: 'lambdakit-local' };
}
