// The sandbox: a child process the CLI forks for one function. It imports the module once
// (Lambda's init phase), then runs each invocation the CLI sends over IPC, the way Lambda's
// Node.js runtime drives a handler. Usage (internal): node runtime.js <module-file> <export>.
import { AsyncLocalStorage } from 'node:async_hooks';
import { pathToFileURL } from 'node:url';
import { format } from 'node:util';
import { type LambdaContext, type LambdaError, toLambdaError } from '@lambdakit/core';
import type { InvokeMessage, SandboxMessage } from './sandbox-protocol.js';

type Handler = (
  event: unknown,
  context: LambdaContext,
  callback?: (error: unknown, result?: unknown) => void,
) => unknown;

// Lambda caps a synchronous response payload at 6 MB.
const MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;

const requestIdStore = new AsyncLocalStorage<string>();
const inFlight = new Set<string>();

function send(message: SandboxMessage): void {
  process.send?.(message);
}

/**
 * Lambda's Node.js runtime prefixes every console line with the time, the request id (of the
 * invocation that logged it, `undefined` during init) and the level; with the JSON log format
 * it writes one JSON object per call instead.
 */
function patchConsole(): void {
  const json = process.env.AWS_LAMBDA_LOG_FORMAT === 'JSON';
  const levels = [
    ['debug', 'DEBUG'],
    ['info', 'INFO'],
    ['log', 'INFO'],
    ['warn', 'WARN'],
    ['error', 'ERROR'],
    ['trace', 'TRACE'],
  ] as const;
  for (const [method, level] of levels) {
    const stream = method === 'warn' || method === 'error' || method === 'trace' ? process.stderr : process.stdout;
    console[method] = (...args: unknown[]) => {
      const timestamp = new Date().toISOString();
      const requestId = requestIdStore.getStore();
      let message = format(...args);
      if (method === 'trace') message += `\n${new Error().stack?.split('\n').slice(2).join('\n') ?? ''}`;
      const line = json
        ? JSON.stringify({ timestamp, level, requestId, message })
        : `${timestamp}\t${requestId}\t${level}\t${message.replaceAll('\n', '\r')}`;
      stream.write(`${line}\n`);
    };
  }
}

function maxMemoryUsedMb(): number {
  // resourceUsage().maxRSS is in kilobytes: the peak resident set of this sandbox, as Lambda reports.
  return Math.ceil(process.resourceUsage().maxRSS / 1024);
}

// Lambda's Init Duration covers the runtime's startup and the function's static code. Here it is
// the time from this process's start to the end of the module's import: `performance.now()`
// counts from Node's time origin, taken before V8 and Node boot and before this file loads.
async function init(file: string, exportName: string): Promise<Handler | undefined> {
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error) {
    const lambdaError = toLambdaError(error);
    // Lambda: a syntax error in the function's code is reported as Runtime.UserCodeSyntaxError.
    if (error instanceof SyntaxError) lambdaError.errorType = 'Runtime.UserCodeSyntaxError';
    else if ((error as { code?: unknown } | null)?.code === 'ERR_MODULE_NOT_FOUND') {
      lambdaError.errorType = 'Runtime.ImportModuleError';
    }
    send({
      type: 'init-error',
      error: lambdaError,
      handlerNotFound: false,
      initDurationMs: performance.now(),
    });
    return undefined;
  }
  const initDurationMs = performance.now();
  const handler = module[exportName];
  if (typeof handler !== 'function') {
    const exported = Object.keys(module).filter((key) => typeof module[key] === 'function');
    const what = handler === undefined ? 'is undefined or not exported' : `is a ${typeof handler}, not a function`;
    send({
      type: 'init-error',
      handlerNotFound: true,
      initDurationMs,
      error: {
        errorType: 'Runtime.HandlerNotFound',
        errorMessage: `${file}#${exportName} ${what} (exported functions: ${exported.join(', ') || 'none'})`,
        trace: [],
      },
    });
    return undefined;
  }
  send({ type: 'ready', initDurationMs });
  return handler as Handler;
}

/**
 * The `Invoke Error` log line's payload, in the shape Lambda's Node.js runtime logs: for an
 * Error its type, message and code, its own enumerable fields, then the stack split into lines;
 * any other value as JSON. Undefined when the value cannot be serialised (a cycle, a BigInt).
 */
function formatError(thrown: unknown): string | undefined {
  const describeError = (error: Error): Record<string, unknown> => {
    const own = Object.fromEntries(Object.entries(error));
    const lines = typeof error.stack === 'string' ? { stack: error.stack.split('\n') } : {};
    return {
      errorType: error.name,
      errorMessage: error.message,
      code: (error as { code?: unknown }).code,
      ...own,
      ...lines,
    };
  };
  try {
    // The replacer also reaches errors held in enumerable fields of the thrown value.
    return JSON.stringify(thrown, (_key, value: unknown) => (value instanceof Error ? describeError(value) : value));
  } catch {
    return undefined;
  }
}

function callHandler(handler: Handler, event: unknown, context: LambdaContext): Promise<unknown> {
  // Callback-style handlers (three parameters, not async) settle through the callback, as in
  // Lambda's Node.js runtimes up to nodejs22.x.
  if (handler.length >= 3 && handler.constructor.name !== 'AsyncFunction') {
    return new Promise((resolve, reject) => {
      const returned = handler(event, context, (error, result) => (error ? reject(error) : resolve(result)));
      if (returned instanceof Promise) returned.then(resolve, reject);
    });
  }
  return Promise.resolve().then(() => handler(event, context));
}

async function run(handler: Handler, message: InvokeMessage): Promise<void> {
  const { deadline } = message;
  const context: LambdaContext = {
    functionName: message.functionName,
    functionVersion: message.functionVersion,
    invokedFunctionArn: message.invokedFunctionArn,
    memoryLimitInMB: message.memoryLimitInMB,
    awsRequestId: message.requestId,
    logGroupName: message.logGroupName,
    logStreamName: message.logStreamName,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
  // Lambda sets the trace header per invocation in the environment.
  process.env._X_AMZN_TRACE_ID = message.traceId;
  inFlight.add(message.requestId);
  const started = performance.now();
  let payload: string | undefined;
  let error: LambdaError | undefined;
  let loggedError: string | undefined;
  let result: unknown;
  try {
    result = await requestIdStore.run(message.requestId, () => callHandler(handler, message.event, context));
  } catch (thrown) {
    error = toLambdaError(thrown);
    loggedError = formatError(thrown);
  }
  if (error === undefined) {
    try {
      payload = JSON.stringify(result === undefined ? null : result);
    } catch (thrown) {
      // The result cannot be sent back (a cycle, a BigInt): Lambda fails the invocation.
      error = {
        errorType: 'Runtime.MarshalError',
        errorMessage: `Unable to stringify response body: ${toLambdaError(thrown).errorMessage}`,
        trace: [],
      };
    }
    if (payload !== undefined && Buffer.byteLength(payload) > MAX_PAYLOAD_BYTES) {
      error = {
        errorType: 'Function.ResponseSizeTooLarge',
        errorMessage: `Response payload size (${Buffer.byteLength(payload)} bytes) exceeded maximum allowed payload size (${MAX_PAYLOAD_BYTES} bytes).`,
        trace: [],
      };
    }
  }
  const durationMs = performance.now() - started;
  inFlight.delete(message.requestId);
  const base = {
    type: 'result' as const,
    requestId: message.requestId,
    durationMs,
    maxMemoryUsedMb: maxMemoryUsedMb(),
  };
  if (error === undefined) send({ ...base, payload: payload ?? 'null' });
  else send({ ...base, error, ...(loggedError === undefined ? {} : { loggedError }) });
}

function crash(error: LambdaError): void {
  send({ type: 'crash', error, requestIds: [...inFlight] });
  // Lambda's runtime exits after an uncaught error; the CLI starts a fresh sandbox if needed.
  process.exit(1);
}

async function main(): Promise<void> {
  const [file, exportName] = process.argv.slice(2);
  if (file === undefined || exportName === undefined || process.send === undefined) {
    process.stderr.write('lambdakit runtime: internal script, started by `lambdakit invoke`\n');
    process.exit(2);
  }
  patchConsole();
  process.on('uncaughtException', (error) => crash(toLambdaError(error)));
  process.on('unhandledRejection', (reason) => {
    const error = toLambdaError(reason);
    // Lambda's Node.js runtime reports an unhandled rejection under this type, then exits.
    crash({
      ...error,
      errorType: 'Runtime.UnhandledPromiseRejection',
      errorMessage: `${error.errorType}: ${error.errorMessage}`,
    });
  });
  const handler = await init(file, exportName);
  if (handler === undefined) {
    process.disconnect?.();
    return;
  }
  process.on('message', (message: InvokeMessage) => {
    if (message?.type === 'invoke') void run(handler, message);
  });
}

await main();
