import { parseArn } from '@lambdakit/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createContext } from './create-context.js';

describe('createContext', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('builds a real-shaped context with Lambda’s defaults', () => {
    const context = createContext();
    expect(context).toMatchObject({
      functionName: 'test-function',
      functionVersion: '$LATEST',
      invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:test-function',
      memoryLimitInMB: '128',
      logGroupName: '/aws/lambda/test-function',
      callbackWaitsForEmptyEventLoop: true,
    });
    expect(context.awsRequestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(context.logStreamName).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    expect(context.getRemainingTimeInMillis()).toBeLessThanOrEqual(3000);
  });

  it('builds the invoked ARN from its parts, with a version or alias qualifier', () => {
    const byVersion = createContext({
      functionName: 'orders',
      qualifier: '7',
      region: 'eu-west-1',
      accountId: '210987654321',
    });
    expect(parseArn(byVersion.invokedFunctionArn)).toMatchObject({
      functionName: 'orders',
      region: 'eu-west-1',
      accountId: '210987654321',
      qualifier: '7',
      qualifierKind: 'version',
    });
    expect(byVersion.functionVersion).toBe('7');
    const byAlias = createContext({ functionName: 'orders', qualifier: 'prod', functionVersion: '12' });
    expect(parseArn(byAlias.invokedFunctionArn).qualifierKind).toBe('alias');
    expect(byAlias.functionVersion).toBe('12');
  });

  it('counts remaining time down with the clock, including vitest fake timers', () => {
    vi.useFakeTimers();
    const context = createContext({ timeoutMs: 1000 });
    expect(context.getRemainingTimeInMillis()).toBe(1000);
    vi.advanceTimersByTime(400);
    expect(context.getRemainingTimeInMillis()).toBe(600);
    vi.advanceTimersByTime(5000);
    expect(context.getRemainingTimeInMillis()).toBe(0);
  });

  it('follows an injected clock', () => {
    let now = 1_000_000;
    const context = createContext({ timeoutMs: 500, now: () => now });
    expect(context.deadline).toBe(1_000_500);
    now += 200;
    expect(context.getRemainingTimeInMillis()).toBe(300);
  });
});
