import { randomUUID } from 'node:crypto';
import { invokeAsync } from './async-invocation.js';
import { CliError, EXIT_FUNCTION_ERROR, EXIT_OK } from './cli-error.js';
import { type CallbackAnswer, type CallbackOptions, readCallbackAnswers } from './durable-callbacks.js';
import { invokeDurable } from './durable-invoke.js';
import { handleInterruptions } from './interrupt-run.js';
import { type CommandIo, stopRun } from './invoke-run.js';
import { prepareRun } from './prepare-run.js';
import { invokeSync } from './sync-invocation.js';

/** `--durable`'s callback answers, its other options checked: undefined without `--durable`. */
async function durableSettings(options: InvokeCommandOptions): Promise<Map<string, CallbackAnswer> | undefined> {
  const answering =
    (options.callback?.length ?? 0) > 0 ||
    (options.callbackFailure?.length ?? 0) > 0 ||
    options.callbacks !== undefined;
  if (options.durable !== true) {
    if (answering || options.realTime === true) {
      throw new CliError('CLI_USAGE', '--callback, --callback-failure, --callbacks and --real-time go with --durable');
    }
    return undefined;
  }
  const clashing = [
    options.async && '--async',
    options.repeat !== 1 && '--repeat',
    options.concurrency !== undefined && '--concurrency',
  ].filter((flag): flag is string => typeof flag === 'string');
  if (clashing.length > 0) {
    throw new CliError('CLI_USAGE', `--durable runs one execution: it does not take ${clashing.join(', ')}`);
  }
  return readCallbackAnswers(options);
}

/** Options of `lambdakit invoke`, as parsed from the command line. */
export interface InvokeCommandOptions extends CallbackOptions {
  event?: string;
  eventSource?: string;
  timeout: number;
  memory: number;
  functionName?: string;
  qualifier?: string;
  region: string;
  accountId: string;
  envFile?: string;
  repeat: number;
  concurrency?: number;
  async: boolean;
  retryDelay: number;
  maxRetries: number;
  dlqDir: string;
  localAws: boolean;
  params?: string;
  secrets?: string;
  tables?: string;
  /** `--payloads`: the folder the local S3 is seeded from. */
  payloads?: string;
  logFormat: 'text' | 'json';
  /** `nodejs22.x` or `nodejs24.x` (the default): whose behaviour to reproduce. */
  runtime?: string;
  /** `lambdakit` (the default) or `aws`: run the function under AWS's own runtime interface client. */
  runtimeClient?: string;
  /** `context.clientContext`: a JSON object, as a mobile SDK's `ClientContext`. */
  clientContext?: string;
  /** `context.tenantId`, for a function with tenant isolation. */
  tenantId?: string;
  /** `--trace`: a local X-Ray daemon, sampled invocations, a waterfall of each one's spans. */
  trace?: boolean;
  /** `--trace-out`: also write the run's spans to this file as OTLP/JSON (implies `--trace`). */
  traceOut?: string;
  /** `--durable`: one durable execution through AWS's local runner. */
  durable?: boolean;
  /** `--real-time`: with `--durable`, waits, retry delays and callback timeouts take their time. */
  realTime?: boolean;
}

/**
 * `lambdakit invoke`: runs the function in a sandbox process with Lambda's environment,
 * context, deadline, platform lines and error shape. Resolves with the exit code.
 */
export async function invokeCommand(target: string, options: InvokeCommandOptions, io: CommandIo): Promise<number> {
  const answers = await durableSettings(options);
  const run = await prepareRun(target, options, io);
  if (typeof run === 'number') return run;
  const stopHandling = handleInterruptions(run);
  if (answers !== undefined) {
    try {
      return await invokeDurable(run, { skipTime: options.realTime !== true, answers });
    } finally {
      await stopRun(run);
      stopHandling();
    }
  }
  let failed = false;
  try {
    const concurrency = options.concurrency ?? 1;
    // Interrupted: no round starts after the signal (its handler ends the process).
    for (let round = 0; round < options.repeat && !run.interrupt.signal.aborted; round++) {
      const results = await Promise.all(
        Array.from({ length: concurrency }, () =>
          options.async ? invokeAsync(run, randomUUID()) : invokeSync(run, randomUUID()),
        ),
      );
      if (results.includes(false)) failed = true;
    }
  } finally {
    // Interrupted while the last invocations settled: the signal handler finishes (its dead
    // letters, their clean-up) and exits with 130; returning now would cut it short.
    if (run.interruption !== undefined) await run.interruption;
    await stopRun(run);
    stopHandling();
  }
  return failed ? EXIT_FUNCTION_ERROR : EXIT_OK;
}
