import type { IncomingHttpHeaders } from 'node:http';
import { runtimeError } from './runtime-errors.js';
import type { RuntimeGeneration } from './runtime-generation.js';

/** The invocation's fields the Runtime API hands out in headers of `GET /next`. */
export interface InvocationHeaders {
  requestId: string;
  deadlineMs: number;
  invokedFunctionArn: string | undefined;
  traceId: string | undefined;
  tenantId: string | undefined;
  clientContext: string | undefined;
  identity: string | undefined;
}

const header = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/** Reads Lambda's invocation headers (`Lambda-Runtime-Aws-Request-Id`, `…-Deadline-Ms`, …). */
export function invocationHeaders(headers: IncomingHttpHeaders): InvocationHeaders {
  const requestId = header(headers, 'lambda-runtime-aws-request-id');
  if (!requestId) throw new Error('invocation id is missing or invalid');
  return {
    requestId,
    deadlineMs: Number.parseInt(header(headers, 'lambda-runtime-deadline-ms') ?? '', 10),
    invokedFunctionArn: header(headers, 'lambda-runtime-invoked-function-arn'),
    traceId: header(headers, 'lambda-runtime-trace-id'),
    tenantId: header(headers, 'lambda-runtime-aws-tenant-id'),
    clientContext: header(headers, 'lambda-runtime-client-context'),
    identity: header(headers, 'lambda-runtime-cognito-identity'),
  };
}

function parseJsonHeader(value: string | undefined, header: string, generation: RuntimeGeneration): unknown {
  if (value === undefined || value === '') return undefined;
  try {
    return JSON.parse(value);
  } catch (error) {
    if (generation === 'current') {
      throw runtimeError(
        'Runtime.PlatformError',
        `Failed to parse ${header} as JSON: ${(error as Error).message}`,
        generation,
      );
    }
    const name = header === 'lambda-runtime-client-context' ? 'ClientContext' : 'CognitoIdentity';
    throw new Error(`Cannot parse ${name} as json: ${String(error)}`);
  }
}

/**
 * The context object a handler receives, with the keys (and key order) each generation of AWS's
 * runtime client gives it. Both: `clientContext` and `identity` (present, `undefined` when the
 * caller sent none), `invokedFunctionArn`, `awsRequestId`, `tenantId`, `getRemainingTimeInMillis()`
 * (which goes negative past the deadline), and the function's name, version, memory (a string) and
 * log group and stream from the environment. 4.x adds `xRayTraceId`; 3.x starts from `base`: the
 * callback helpers (`callbackWaitsForEmptyEventLoop`, `succeed`, `fail`, `done`).
 */
export function invocationContext(
  invocation: InvocationHeaders,
  generation: RuntimeGeneration,
  base: object = {},
): Record<string, unknown> {
  const { deadlineMs } = invocation;
  const fromHeaders = {
    clientContext: parseJsonHeader(invocation.clientContext, 'lambda-runtime-client-context', generation),
    identity: parseJsonHeader(invocation.identity, 'lambda-runtime-cognito-identity', generation),
    invokedFunctionArn: invocation.invokedFunctionArn,
    awsRequestId: invocation.requestId,
    tenantId: invocation.tenantId,
    ...(generation === 'current' ? { xRayTraceId: invocation.traceId } : {}),
    getRemainingTimeInMillis: () => deadlineMs - Date.now(),
  };
  const fromEnvironment = {
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
  };
  return generation === 'current'
    ? Object.assign(fromHeaders, fromEnvironment)
    : Object.assign(
        base,
        {
          functionVersion: fromEnvironment.functionVersion,
          functionName: fromEnvironment.functionName,
          memoryLimitInMB: fromEnvironment.memoryLimitInMB,
          logGroupName: fromEnvironment.logGroupName,
          logStreamName: fromEnvironment.logStreamName,
        },
        fromHeaders,
      );
}

/**
 * Lambda passes the invocation's X-Ray trace header in `_X_AMZN_TRACE_ID` (removed when there is
 * none). Not under multi-concurrency, where one process-wide variable cannot hold several
 * invocations' headers: there it lives in the invoke store only.
 */
export function forwardTraceHeader(traceId: string | undefined): void {
  if (traceId) process.env._X_AMZN_TRACE_ID = traceId;
  else delete process.env._X_AMZN_TRACE_ID;
}
