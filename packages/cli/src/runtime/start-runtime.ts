import { writeSync } from 'node:fs';
import { threadId } from 'node:worker_threads';
import { InvokeStore, type InvokeStoreBase } from '@aws/lambda-invoke-store';
import { type LoadedHandler, loadHandler } from './load-handler.js';
import { patchConsole } from './patch-console.js';
import { HttpResponseStream } from './response-stream.js';
import { runCurrent } from './run-current.js';
import { type LegacyLoggingContext, type LegacyProcessState, runLegacy } from './run-legacy.js';
import { RuntimeApiClient } from './runtime-api-client.js';
import { errorLogger, type RuntimeCore } from './runtime-core.js';
import { errorResponse, runtimeError } from './runtime-errors.js';
import type { RuntimeSettings } from './runtime-generation.js';

const STREAMING = Symbol.for('aws.lambda.runtime.handler.streaming');
const HIGH_WATER_MARK = Symbol.for('aws.lambda.runtime.handler.streaming.highWaterMark');

const CALLBACK_REMOVED: Record<string, string> = {
  'nodejs22.x':
    'ERROR: AWS Lambda does not support callback-based function handlers when using Node.js 22 with Managed Instances. To use Managed Instances, modify this function to use a supported handler signature. For more information see https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html.',
  'nodejs24.x':
    'ERROR: AWS Lambda has removed support for callback-based function handlers starting with Node.js 24. You need to modify this function to use a supported handler signature to use Node.js 24 or later. For more information see https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html.',
};

/**
 * One runtime: the whole sandbox process, or one worker thread under multi-concurrency. Sets up
 * Lambda's globals and console, loads the handler (Lambda's init phase, which ends with the first
 * `GET /next`) and runs the invocation loop of the runtime's generation.
 */
export async function startRuntime(settings: RuntimeSettings): Promise<void> {
  const { generation } = settings;
  const address = process.env.AWS_LAMBDA_RUNTIME_API;
  const handlerString = process.env._HANDLER;
  const taskRoot = process.env.LAMBDA_TASK_ROOT;
  if (!address || !handlerString || !taskRoot) {
    throw new Error('AWS_LAMBDA_RUNTIME_API, _HANDLER and LAMBDA_TASK_ROOT must be set');
  }
  installGlobals();
  const store = generation === 'current' ? await InvokeStore.getInstanceAsync() : undefined;
  const logging: LegacyLoggingContext = { requestId: undefined, tenantId: undefined };
  patchConsole({
    generation,
    json: process.env.AWS_LAMBDA_LOG_FORMAT?.toUpperCase() === 'JSON' || settings.multiConcurrent,
    minLevel: process.env.AWS_LAMBDA_LOG_LEVEL,
    // 4.x prints "-" outside an invocation (during init); 3.x the last request id, "undefined" at first.
    requestId: store === undefined ? () => logging.requestId : () => store.getRequestId(),
    tenantId: store === undefined ? () => logging.tenantId : () => store.getTenantId(),
    // Under multi-concurrency every worker writes whole lines straight to the shared file descriptor.
    write: settings.multiConcurrent ? (line) => writeSync(1, line) : (line) => process.stdout.write(line),
  });
  const core: RuntimeCore = {
    client: new RuntimeApiClient(address, String(threadId)),
    settings,
    logError: errorLogger(settings),
  };
  if (generation === 'legacy') return startLegacy(core, taskRoot, handlerString, logging);
  let loaded: LoadedHandler;
  try {
    loaded = await loadHandler(taskRoot, handlerString, generation);
    if (loaded.handler.length >= 3 && !loaded.streaming) {
      throw runtimeError('Runtime.CallbackHandlerDeprecated', CALLBACK_REMOVED[settings.runtime] ?? '', 'current');
    }
  } catch (error) {
    core.logError('Init Error', error);
    await core.client.postInitError(errorResponse(error, generation));
    // As 4.x does: the error escapes the runtime's start, and Node reports it and exits with 1.
    throw error;
  }
  await runCurrent(core, loaded, store as InvokeStoreBase);
}

/**
 * 3.x: uncaught errors are reported before the runtime exits (129 for an exception, 128 for a
 * rejection): as the init error while loading, then as the invocation's error. Only the first is:
 * the runtime is on its way out. Its `beforeExit` listener is in place before the function loads.
 */
async function startLegacy(
  core: RuntimeCore,
  taskRoot: string,
  handlerString: string,
  logging: LegacyLoggingContext,
): Promise<void> {
  const initFailure = (code: number) => (error: unknown) => {
    void core.client.postInitError(errorResponse(error, 'legacy')).finally(() => process.exit(code));
  };
  const state: LegacyProcessState = {
    logging,
    errorCallbacks: { uncaughtException: initFailure(129), unhandledRejection: initFailure(128) },
    beforeExit: () => undefined,
  };
  let exiting = false;
  process.on('uncaughtException', (error) => {
    if (exiting) return;
    exiting = true;
    core.logError('Uncaught Exception', error);
    state.errorCallbacks.uncaughtException(error);
  });
  process.on('unhandledRejection', (reason, promise) => {
    if (exiting) return;
    exiting = true;
    const error = Object.assign(
      runtimeError('Runtime.UnhandledPromiseRejection', reason === undefined ? '' : String(reason), 'legacy'),
      { reason, promise },
    );
    core.logError('Unhandled Promise Rejection', error);
    state.errorCallbacks.unhandledRejection(error);
  });
  process.on('beforeExit', () => state.beforeExit());
  let loaded: LoadedHandler;
  try {
    loaded = await loadHandler(taskRoot, handlerString, 'legacy');
  } catch (error) {
    // The loader's error escapes the runtime's start and reaches the uncaught-exception handler.
    process.emit('uncaughtException', error as Error);
    return;
  }
  runLegacy(core, loaded, state);
}

/** `awslambda.streamifyResponse` and `awslambda.HttpResponseStream`, unless the function opted out. */
function installGlobals(): void {
  const optOut = process.env.AWS_LAMBDA_NODEJS_NO_GLOBAL_AWSLAMBDA;
  if (optOut === '1' || optOut === 'true') return;
  const global = globalThis as { awslambda?: Record<string, unknown> };
  global.awslambda = {
    ...global.awslambda,
    streamifyResponse: (handler: Record<symbol, unknown>, options?: { highWaterMark?: unknown }) => {
      handler[STREAMING] = 'response';
      if (typeof options?.highWaterMark === 'number')
        handler[HIGH_WATER_MARK] = Number.parseInt(String(options.highWaterMark), 10);
      return handler;
    },
    HttpResponseStream,
  };
}
