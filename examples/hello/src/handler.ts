import { setTimeout as sleep } from 'node:timers/promises';
import { lambda, timeout } from '@lambdakit/core';

/** The event this function takes: who to greet, and optionally how long to pretend to work. */
export interface HelloEvent {
  name?: string;
  workMs?: number;
}

/** What the function returns. */
export interface HelloResult {
  message: string;
  requestId: string;
  coldStart: boolean;
}

/**
 * Greets `event.name`. `timeout()` gives up 200 ms before Lambda's deadline, aborting
 * `ctx.signal`, which the pretend work honours, so a slow call fails cleanly with a
 * `TimeoutError` instead of being killed mid-way.
 */
export const handler = lambda()
  .use(timeout({ marginMs: 200 }))
  .handle(async (event, ctx): Promise<HelloResult> => {
    const { name, workMs } = (event ?? {}) as HelloEvent;
    const who = typeof name === 'string' && name.trim() !== '' ? name.trim() : 'world';
    // One JSON object per line: CloudWatch (and `lambdakit logs`) can filter on its fields.
    console.log(JSON.stringify({ level: 'INFO', message: 'greeting', name: who, requestId: ctx.awsRequestId }));
    // An aborted wait rejects with an AbortError; lambdakit reports it as the TimeoutError it is.
    if (typeof workMs === 'number' && workMs > 0) await sleep(workMs, undefined, { signal: ctx.signal });
    return { message: `Hello, ${who}!`, requestId: ctx.awsRequestId, coldStart: ctx.coldStart };
  });
