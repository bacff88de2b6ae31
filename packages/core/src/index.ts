export type { RawHandler } from './adapt-handler.js';
export { defineHandlerAdapter } from './adapt-handler.js';
export { emitWarning, WARNING_TYPE } from './emit-warning.js';
export type { CleanupHook, InvocationContext, InvocationOutcome } from './invocation-context.js';
export type { AcceptsEvent, BusinessLogic, EventFits, LambdaBuilder, LambdaHandler } from './lambda.js';
export { lambda } from './lambda.js';
export type { LambdaContext } from './lambda-context.js';
export type { LambdakitErrorOptions } from './lambdakit-error.js';
export { LambdakitError } from './lambdakit-error.js';
export type { LineDestination } from './line-destination.js';
export type { Middleware, MiddlewareHook, MiddyMiddleware, Request } from './middleware.js';
export type { FunctionArn, QualifierKind } from './parse-arn.js';
export { InvalidArnError, parseArn } from './parse-arn.js';
export { defineMiddleware } from './pipeline.js';
export type { RetryErrorCode, RetryOptions, RetrySettings } from './retry.js';
export { abortableSleep, RetryError, retry, retrySettings } from './retry.js';
export {
  clearSecretValues,
  MIN_SECRET_LENGTH,
  redactSecretValues,
  registerSecretValue,
  SECRET_PLACEHOLDER,
} from './secret-values.js';
export { stdoutDestination } from './stdout-destination.js';
export type { TimeoutOptions } from './timeout.js';
export { timeout } from './timeout.js';
export type { TimeoutErrorDetails } from './timeout-error.js';
export { TimeoutError } from './timeout-error.js';
export type { LambdaError } from './to-lambda-error.js';
export { toLambdaError } from './to-lambda-error.js';
export { traceStep } from './trace-step.js';
