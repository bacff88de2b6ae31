import { randomUUID } from 'node:crypto';
import type { LambdaContext } from '@lambdakit/core';
import {
  checkOption,
  checkOptions,
  isAccountId,
  isFunction,
  isPositive,
  isPositiveInteger,
  isText,
} from './check-option.js';

/** Options of {@link createContext}; every field has a realistic default. */
export interface CreateContextOptions {
  functionName?: string | undefined;
  /** Version number, `$LATEST` or an alias; omitted for an unqualified invocation. */
  qualifier?: string | undefined;
  /** The published version behind the qualifier (default: the qualifier if numeric, else `$LATEST`). */
  functionVersion?: string | undefined;
  region?: string | undefined;
  accountId?: string | undefined;
  partition?: string | undefined;
  /** The function's configured timeout in milliseconds (default 3000, Lambda's default). */
  timeoutMs?: number | undefined;
  memoryMb?: number | undefined;
  requestId?: string | undefined;
  /** The clock, epoch milliseconds (default `Date.now`, so vitest fake timers apply). */
  now?: (() => number) | undefined;
}

/** A Lambda context for tests, with the deprecated callback-era methods Lambda still provides. */
export interface TestLambdaContext extends LambdaContext {
  /** When this invocation's time runs out, epoch milliseconds. */
  readonly deadline: number;
}

/**
 * Builds a real-shaped Lambda context: ARN from the parts, log group and stream names as
 * Lambda names them, and a `getRemainingTimeInMillis()` that follows the clock.
 */
export function createContext(options: CreateContextOptions = {}): TestLambdaContext {
  return contextFor('createContext', options);
}

const textOptions = ['functionName', 'qualifier', 'functionVersion', 'region', 'partition', 'requestId'] as const;

/** @internal {@link createContext}, its mistakes named after `door`: `invoke()` builds one too. */
export function contextFor(door: string, options: CreateContextOptions): TestLambdaContext {
  checkOptions(door, options);
  for (const name of textOptions) checkOption(door, name, options[name], isText);
  checkOption(door, 'accountId', options.accountId, isAccountId);
  checkOption(door, 'timeoutMs', options.timeoutMs, isPositive);
  checkOption(door, 'memoryMb', options.memoryMb, isPositiveInteger);
  checkOption(door, 'now', options.now, isFunction);
  const now = options.now ?? Date.now;
  const functionName = options.functionName ?? 'test-function';
  const region = options.region ?? 'us-east-1';
  const accountId = options.accountId ?? '123456789012';
  const partition = options.partition ?? 'aws';
  const timeoutMs = options.timeoutMs ?? 3000;
  const qualifier = options.qualifier;
  const functionVersion =
    options.functionVersion ?? (qualifier !== undefined && /^\d+$/.test(qualifier) ? qualifier : '$LATEST');
  const unqualified = `arn:${partition}:lambda:${region}:${accountId}:function:${functionName}`;
  const deadline = now() + timeoutMs;
  const started = new Date(now());
  const day = started.toISOString().slice(0, 10).replaceAll('-', '/');
  return {
    functionName,
    functionVersion,
    invokedFunctionArn: qualifier === undefined ? unqualified : `${unqualified}:${qualifier}`,
    memoryLimitInMB: String(options.memoryMb ?? 128),
    awsRequestId: options.requestId ?? randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `${day}/[${functionVersion}]${randomUUID().replaceAll('-', '')}`,
    callbackWaitsForEmptyEventLoop: true,
    deadline,
    getRemainingTimeInMillis: () => Math.max(0, deadline - now()),
  };
}
