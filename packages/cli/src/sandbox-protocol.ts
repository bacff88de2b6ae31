import type { LambdaError } from '@lambdakit/core';

/** @internal What the CLI sends the sandbox to start one invocation. */
export interface InvokeMessage {
  type: 'invoke';
  requestId: string;
  event: unknown;
  /** Epoch milliseconds at which the CLI kills the invocation. */
  deadline: number;
  traceId: string;
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
  memoryLimitInMB: string;
  logGroupName: string;
  logStreamName: string;
}

/** @internal What the sandbox sends the CLI. */
export type SandboxMessage =
  | { type: 'ready'; initDurationMs: number }
  | { type: 'init-error'; error: LambdaError; handlerNotFound: boolean; initDurationMs: number }
  | {
      type: 'result';
      requestId: string;
      /** The JSON response payload on success. */
      payload?: string;
      error?: LambdaError;
      /** The thrown error as Lambda's Node.js runtime logs it (JSON text). */
      loggedError?: string;
      durationMs: number;
      maxMemoryUsedMb: number;
    }
  | { type: 'crash'; error: LambdaError; requestIds: string[] };
