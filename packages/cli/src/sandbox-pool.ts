import type { Run } from './invoke-run.js';
import { lambdaEnvironment } from './lambda-environment.js';
import { initReportLine } from './report-lines.js';
import { workerCount } from './runtime/start-workers.js';
import { INIT_TIMED_OUT, Sandbox, type SandboxInitFailure } from './sandbox.js';

/** A usable sandbox: the warm one, or a new one (cold start) when there is none or it was killed. */
export async function acquireSandbox(run: Run): Promise<Sandbox | SandboxInitFailure> {
  for (;;) {
    run.current ??= startSandbox(run);
    const starting = run.current;
    const sandbox = await starting;
    if (sandbox instanceof Sandbox && sandbox.usable) return sandbox;
    // Lambda retries a failed init on the next invocation, and replaces a sandbox it stopped.
    if (run.current === starting) run.current = undefined;
    if (!(sandbox instanceof Sandbox)) return sandbox;
  }
}

/** Stops every sandbox of the run, those still starting included. */
export async function stopSandboxes(run: Run): Promise<void> {
  for (const kill of run.starting) kill();
  await Promise.all([...run.sandboxes].map((sandbox) => sandbox.kill()));
}

/**
 * Starts a sandbox. Lambda stops an on-demand init phase at 10 s and tries it again when the first
 * invocation runs, within the function's timeout: so does this, and the retry's time is the
 * invocation's (its `REPORT` has no `Init Duration`, its `Duration` includes the init).
 */
async function startSandbox(run: Run): Promise<Sandbox | SandboxInitFailure> {
  const first = await startRuntime(run);
  if (first instanceof Sandbox || first.error.errorType !== INIT_TIMED_OUT) return first;
  run.io.stderr.write(`${initReportLine(first.initDurationMs)}\n`);
  const startedAt = performance.now();
  const retried = await startRuntime(run, run.timeoutMs);
  if (retried instanceof Sandbox) retried.suppressedInitMs = performance.now() - startedAt;
  else if (retried.error.errorType === INIT_TIMED_OUT) return { ...retried, suppressed: true };
  return retried;
}

async function startRuntime(run: Run, initLimitMs?: number): Promise<Sandbox | SandboxInitFailure> {
  const env = {
    ...run.env,
    ...lambdaEnvironment({
      functionName: run.functionName,
      functionVersion: run.functionVersion,
      memoryMb: run.memoryMb,
      region: run.region,
      handler: run.target.handler,
      taskRoot: run.target.taskRoot,
      runtime: run.runtime,
      ...(run.concurrency === undefined ? {} : { maxConcurrency: run.concurrency }),
      logFormat: run.logFormat,
    }),
  };
  const sandbox = await Sandbox.start({
    env,
    cwd: run.target.taskRoot,
    runtimeClient: run.runtimeClient,
    ...(initLimitMs === undefined ? {} : { initLimitMs }),
    onSpawn: (kill) => {
      run.starting.add(kill);
      return () => run.starting.delete(kill);
    },
    ...(run.concurrency === undefined
      ? {}
      : {
          workers: workerCount(env),
          onWorkerReady: (worker: number, initDurationMs: number) =>
            run.io.stderr.write(`lambdakit: worker ${worker} ready (Init Duration: ${initDurationMs.toFixed(2)} ms)\n`),
        }),
  });
  if (sandbox instanceof Sandbox) run.sandboxes.add(sandbox);
  return sandbox;
}
