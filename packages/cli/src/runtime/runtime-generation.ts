/**
 * Lambda's Node.js runtimes whose behaviour the sandbox reproduces. Each runs a generation of
 * AWS's runtime interface client (npm `aws-lambda-ric`), and the generation decides how a
 * handler is loaded and called and how its errors and logs look:
 * - `legacy` (3.x): nodejs22.x. Callback handlers, `context.succeed/fail/done` and
 *   `callbackWaitsForEmptyEventLoop`, a CommonJS-first loader, uncaught errors reported for the
 *   invocation in flight before the runtime exits.
 * - `current` (4.x): nodejs24.x, and every runtime under Lambda Managed Instances
 *   (`AWS_LAMBDA_MAX_CONCURRENCY`). Callback handlers refused at init, an `import()`-first loader,
 *   worker threads for multi-concurrency, uncaught errors left to Node (the process exits).
 */
export type RuntimeGeneration = 'legacy' | 'current';

/** The Lambda runtime identifiers lambdakit emulates (`--runtime`). */
export const LAMBDA_RUNTIMES = ['nodejs22.x', 'nodejs24.x'] as const;

/** A Lambda Node.js runtime identifier. */
export type LambdaRuntime = (typeof LAMBDA_RUNTIMES)[number];

/** The runtime `lambdakit invoke` emulates when `--runtime` is not given: the newest. */
export const DEFAULT_RUNTIME: LambdaRuntime = 'nodejs24.x';

/** What the sandbox reads from its environment to decide how to behave. */
export interface RuntimeSettings {
  runtime: LambdaRuntime;
  generation: RuntimeGeneration;
  /** Lambda Managed Instances: several invocations at once, in worker threads. */
  multiConcurrent: boolean;
}

/** The runtime of a sandbox, from `AWS_EXECUTION_ENV` (`AWS_Lambda_nodejs22.x`) and `AWS_LAMBDA_MAX_CONCURRENCY`. */
export function runtimeSettings(env: NodeJS.ProcessEnv): RuntimeSettings {
  const named = env.AWS_EXECUTION_ENV?.replace(/^AWS_Lambda_/, '');
  const runtime = (LAMBDA_RUNTIMES as readonly string[]).includes(named ?? '')
    ? (named as LambdaRuntime)
    : DEFAULT_RUNTIME;
  const multiConcurrent = env.AWS_LAMBDA_MAX_CONCURRENCY !== undefined;
  const generation = runtime === 'nodejs22.x' && !multiConcurrent ? 'legacy' : 'current';
  return { runtime, generation, multiConcurrent };
}
