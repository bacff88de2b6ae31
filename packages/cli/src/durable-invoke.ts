import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { CliError, EXIT_FUNCTION_ERROR, EXIT_OK } from './cli-error.js';
import { DurableBridge, type DurableStateClient } from './durable-bridge.js';
import { answerCallbacks, type CallbackAnswer } from './durable-callbacks.js';
import { printExecution } from './durable-report.js';
import { type StartedCallback, type TimeTravel, timeTravel } from './durable-time-travel.js';
import { invokeOnce } from './invoke-once.js';
import type { Run } from './invoke-run.js';
import { loadDurableRunner } from './load-durable-runner.js';
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
  durableExecutionClient: DurableStateClient;
}

/**
 * `lambdakit invoke --durable`: one durable execution, orchestrated by AWS's local runner (its
 * checkpoint store, its scheduling of waits, retries and callbacks), each of its invocations run in
 * the sandbox as any invocation is (START/END/REPORT, deadline, warm or cold). The function's SDK
 * reaches the runner's store through a local endpoint of Lambda's checkpoint API. The result (or
 * the execution's error) goes to stdout, each operation with its status and duration to stderr.
 */
export async function invokeDurable(run: Run, settings: DurableSettings): Promise<number> {
  const testing = await loadDurableRunner(run.io.cwd);
  let stuck: (error: CliError) => void = () => undefined;
  const stuckCallback = new Promise<never>((_, reject) => {
    stuck = reject;
  });
  const time = timeTravel(settings.skipTime, new Set(settings.answers.keys()), (callback) =>
    noteCallback(run, time, callback, stuck),
  );
  const bridge = await DurableBridge.start(time);
  run.env = { ...run.env, AWS_ENDPOINT_URL_LAMBDA: bridge.url, ...placeholderCredentials(run.env) };
  const { LocalDurableTestRunner, WaitingOperationStatus } = testing;
  // Real timers: the runner's skipTime fakes the clock of the whole process, this CLI's included.
  await LocalDurableTestRunner.setupTestEnvironment({ skipTime: false });
  const invocations = { count: 0, failure: undefined as string | undefined };
  try {
    const runner = new LocalDurableTestRunner({
      handlerFunction: async (event: unknown) => {
        invocations.count++;
        // The runner reads the function's answer (SUCCEEDED, FAILED or PENDING) as it comes.
        return invokeInSandbox(run, bridge, event as RunnerEvent, invocations) as Promise<never>;
      },
    });
    const answered = answerCallbacks(runner, settings.answers, WaitingOperationStatus, run.io.stderr);
    const startedAt = performance.now();
    let execution: Awaited<ReturnType<typeof runner.run>>;
    try {
      execution = await Promise.race([runner.run({ payload: run.event.value }), stuckCallback]);
    } catch (error) {
      if (error instanceof CliError || invocations.failure === undefined) throw error;
      run.io.stderr.write(`lambdakit: durable: ${(error as Error).message}\n`);
      run.io.stdout.write(`${invocations.failure}\n`);
      return EXIT_FUNCTION_ERROR;
    }
    printExecution(run.io.stderr, execution, time, {
      invocations: invocations.count,
      ms: performance.now() - startedAt,
    });
    for (const name of answered.unused()) {
      run.io.stderr.write(`lambdakit: note: --callback ${name}: the execution started no callback of that name\n`);
    }
    return writeOutcome(run, execution);
  } finally {
    await LocalDurableTestRunner.teardownTestEnvironment();
    await bridge.close();
  }
}

/**
 * One invocation of the execution, in the sandbox: the envelope Lambda sends a durable function
 * (operations with ISO timestamps, as on the wire), the function's answer back to the runner.
 */
async function invokeInSandbox(
  run: Run,
  bridge: DurableBridge,
  event: RunnerEvent,
  invocations: { failure: string | undefined },
): Promise<unknown> {
  bridge.attach(event.DurableExecutionArn, event.durableExecutionClient, event.CheckpointToken);
  const body = JSON.stringify({
    DurableExecutionArn: event.DurableExecutionArn,
    CheckpointToken: event.CheckpointToken,
    InitialExecutionState: event.InitialExecutionState,
  });
  const outcome = await invokeOnce(run, randomUUID(), undefined, body);
  if (outcome.status === 'success') {
    const text = outcome.payload?.toString() ?? 'null';
    try {
      return JSON.parse(text) as unknown;
    } catch {
      invocations.failure = text;
      throw new Error(`the function answered ${text.slice(0, 200)}, not a durable execution's answer`);
    }
  }
  // Lambda retries an invocation that failed outside the SDK's answer; AWS's local runner stops
  // the execution instead, which is what happens here (the README says so).
  invocations.failure = payloadOf(outcome).toString();
  const what = outcome.status === 'timeout' ? 'timed out' : `failed (${outcome.error?.errorType ?? 'Unknown'})`;
  throw new Error(`invocation ${outcome.requestId} ${what}: the execution stops here (Lambda would retry it)`);
}

/** Prints the result (exit 0) or, for an execution that failed or timed out, its error (exit 1). */
function writeOutcome(run: Run, execution: { getStatus(): unknown; getResult(): unknown; getError(): object }): number {
  if (execution.getStatus() === 'SUCCEEDED') {
    run.io.stdout.write(`${JSON.stringify(execution.getResult() ?? null)}\n`);
    return EXIT_OK;
  }
  const { errorType, errorMessage, errorData, stackTrace } = execution.getError() as Record<string, unknown>;
  const error = { errorType: errorType ?? 'Unknown', errorMessage: errorMessage ?? '', errorData, stackTrace };
  run.io.stdout.write(`${JSON.stringify(error)}\n`);
  return EXIT_FUNCTION_ERROR;
}

/**
 * Says what becomes of a callback nobody answers: with time skipped it times out at once; in real
 * time it waits for its timeout. One without a timeout would wait for ever: the run stops.
 */
function noteCallback(run: Run, time: TimeTravel, callback: StartedCallback, stuck: (error: CliError) => void): void {
  if (callback.answered) return;
  const name = callback.names.at(-1) ?? callback.id;
  const answer = `answer it with --callback ${name}=JSON or --callback-failure ${name}=MESSAGE`;
  if (callback.timeoutSeconds === undefined) {
    stuck(
      new CliError(
        'CLI_USAGE',
        `callback "${name}" has no answer and no timeout, so the execution would wait for ever: ${answer}`,
      ),
    );
    return;
  }
  const when = time.skip ? `now (its ${callback.timeoutSeconds} s skipped)` : `in ${callback.timeoutSeconds} s`;
  run.io.stderr.write(`lambdakit: durable: callback "${name}" has no answer: it times out ${when}; ${answer}\n`);
}

/**
 * The function's SDK signs its checkpoint calls: a shell with no AWS credentials at all (no keys,
 * no profile, no shared files) gives the sandbox placeholder keys, which the local endpoint takes.
 */
function placeholderCredentials(env: NodeJS.ProcessEnv): Record<string, string> {
  if (env.AWS_ACCESS_KEY_ID !== undefined || env.AWS_PROFILE !== undefined) return {};
  const files = [
    env.AWS_SHARED_CREDENTIALS_FILE ?? join(homedir(), '.aws', 'credentials'),
    env.AWS_CONFIG_FILE ?? join(homedir(), '.aws', 'config'),
  ];
  if (files.some((file) => existsSync(file))) return {};
  return { AWS_ACCESS_KEY_ID: 'lambdakit-local', AWS_SECRET_ACCESS_KEY: 'lambdakit-local' };
}
