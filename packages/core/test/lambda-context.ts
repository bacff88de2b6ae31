import type { LambdaContext } from '../src/lambda-context.js';

let count = 0;

/**
 * A Lambda context for core's own tests. Core is the package every other one builds on, so its
 * tests do not import `@lambdakit/testing` (which depends on core); this is the minimum they need.
 */
export function lambdaContext(
  options: { functionName?: string; qualifier?: string; requestId?: string; timeoutMs?: number } = {},
): LambdaContext & { readonly deadline: number } {
  const functionName = options.functionName ?? 'test-function';
  const arn = `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`;
  const deadline = Date.now() + (options.timeoutMs ?? 3000);
  const qualifier = options.qualifier;
  return {
    functionName,
    functionVersion: qualifier !== undefined && /^\d+$/.test(qualifier) ? qualifier : '$LATEST',
    invokedFunctionArn: qualifier === undefined ? arn : `${arn}:${qualifier}`,
    memoryLimitInMB: '128',
    awsRequestId: options.requestId ?? `request-${++count}`,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `2026/12/04/[$LATEST]${count.toString(16).padStart(32, '0')}`,
    callbackWaitsForEmptyEventLoop: true,
    deadline,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
}
