// The sandbox's runtime: the process `lambdakit invoke` starts for a function (node runtime.js).
// It does what AWS's Node.js runtime interface client does in a Lambda sandbox: takes
// invocations from the Runtime API at AWS_LAMBDA_RUNTIME_API, runs the handler that _HANDLER
// names under LAMBDA_TASK_ROOT, and answers, in the behaviour of the runtime AWS_EXECUTION_ENV
// names. Under multi-concurrency (AWS_LAMBDA_MAX_CONCURRENCY) it starts worker threads that each
// load the function and take invocations.
import { isMainThread } from 'node:worker_threads';
import { runtimeSettings } from './runtime-generation.js';
import { startRuntime } from './start-runtime.js';
import { startWorkers } from './start-workers.js';

const settings = runtimeSettings(process.env);
// Not awaited, as AWS's runtime client does not await its own start: when nothing is left to do
// (a handler's promise that never settles, with an empty event loop) the process exits with 0,
// and a failure of the runtime itself is an unhandled rejection that ends it with 1.
void (settings.multiConcurrent && isMainThread ? startWorkers(new URL(import.meta.url)) : startRuntime(settings));
