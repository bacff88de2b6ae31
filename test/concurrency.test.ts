import { AsyncLocalStorage } from 'node:async_hooks';
import { SSMClient } from '@aws-sdk/client-ssm';
import { config } from '@lambdakit/config';
import { lambda, TimeoutError } from '@lambdakit/core';
import { dynamoDbStore, IdempotencyInProgressError, idempotent } from '@lambdakit/idempotency';
import { logger } from '@lambdakit/logger';
import { metrics } from '@lambdakit/metrics';
import { eventbridge, parse } from '@lambdakit/parser';
import { createContext, type LocalSsm, startLocalSsm } from '@lambdakit/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { sharedDynamo, uniqueTableName } from './shared-dynamo.js';

// Lambda Managed Instances run several invocations at once in one process. This drives 50
// interleaved invocations of a full-stack handler through one process and checks that nothing
// of one invocation shows up in another.

const Order = z.object({ orderId: z.string(), total: z.number(), delayMs: z.number(), fail: z.boolean() });
const Settings = z.object({ currency: z.string() });

/** A seeded PRNG (mulberry32): the interleaving differs per seed but a failure replays. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const timers = () => process.getActiveResourcesInfo().filter((resource) => resource === 'Timeout').length;

interface Plan {
  i: number;
  requestId: string;
  eventId: string;
  alias: 'blue' | 'green';
  orderId: string;
  total: number;
  delayMs: number;
  fail: boolean;
  timesOut: boolean;
  duplicateOf: number | undefined;
}

const INVOCATIONS = 50;

const runtimeGlobal = globalThis as { awslambda?: unknown };
const awslambdaBefore = runtimeGlobal.awslambda;

/** The runtime's invoke store, as `@aws/lambda-invoke-store` keeps it under multi-concurrency. */
const invokeStore = new AsyncLocalStorage<{ traceId: string }>();
const traceRootOf = (p: Plan) => `1-67000000-${String(p.i).padStart(24, '0')}`;
const traceHeaderOf = (p: Plan) => `Root=${traceRootOf(p)};Parent=53995c3f42cd8ad8;Sampled=1`;
const UNIQUE_KEYS = 40;

function plan(rand: () => number): Plan[] {
  return Array.from({ length: INVOCATIONS }, (_, i) => {
    const key = i % UNIQUE_KEYS; // invocations 40-49 repeat the keys of 0-9
    const fail = key >= 20 && key < 25;
    const timesOut = key >= 25 && key < 30;
    return {
      i,
      requestId: `req-${i}`,
      eventId: `evt-${i}`,
      alias: i % 2 === 0 ? 'blue' : 'green',
      orderId: `order-${key}`,
      total: i * 10 + 1,
      delayMs: timesOut ? 1_500 : Math.floor(rand() * 40),
      fail,
      timesOut,
      duplicateOf: i >= UNIQUE_KEYS ? key : undefined,
    };
  });
}

describe('the whole stack under 50 concurrent invocations in one process', () => {
  const dynamo = sharedDynamo();
  // A table of its own on the shared dynalite: every key must run its logic once, so no record of
  // another file (or of an earlier watch-mode run) may be there.
  const tableName = uniqueTableName('concurrency-idempotency');
  let ssm: LocalSsm;

  beforeAll(async () => {
    // SSM per file, unlike dynalite: its tests inject faults (throttle, pause) that would leak to parallel files.
    ssm = await startLocalSsm({
      parameters: {
        '/lambdakit/orders/currency': 'EUR',
        '/lambdakit/orders/blue/currency': 'USD',
        '/lambdakit/orders/green/currency': 'GBP',
      },
    });
    await dynamo.createIdempotencyTable(tableName);
    runtimeGlobal.awslambda = { InvokeStore: { getXRayTraceId: () => invokeStore.getStore()?.traceId } };
    vi.stubEnv('_X_AMZN_TRACE_ID', 'Root=1-00000000-not-any-invocations-own;Sampled=0');
  });

  afterAll(async () => {
    runtimeGlobal.awslambda = awslambdaBefore;
    vi.unstubAllEnvs();
    await ssm?.close();
  });

  it.each([1, 2, 3])('keeps every invocation to itself (seed %i)', async (seed) => {
    const rand = random(seed);
    const logLines: string[] = [];
    const emfLines: string[] = [];
    const runs = new Map<string, number>();
    const abortedOwnSignal = new Set<string>();
    const reached = new Set<string>(); // request ids whose business logic ran
    const logicStillRunning: Promise<unknown>[] = [];
    const ssmClient = new SSMClient(ssm.clientConfig);
    const dynamoClient = dynamo.client();
    const store = dynamoDbStore({ client: dynamoClient, tableName });

    const handler = lambda()
      .use(logger({ level: 'info', buffer: true, destination: { write: (line: string) => void logLines.push(line) } }))
      .use(
        metrics({
          namespace: 'Concurrency',
          service: 'orders',
          destination: { write: (line) => void emfLines.push(line) },
        }),
      )
      .use(timeout50())
      .use(parse(eventbridge(Order)))
      .use(config({ schema: Settings, client: ssmClient, prefetch: false }))
      .use(idempotent({ store, key: (event) => event.detail.orderId, keyPrefix: `seed-${seed}` }))
      .handle(async (event, ctx) => {
        const { orderId, total, delayMs, fail } = event.detail;
        ctx.signal.addEventListener('abort', () => abortedOwnSignal.add(ctx.awsRequestId));
        ctx.log.debug({ orderId }, 'held back unless this invocation fails');
        ctx.log.info({ orderId, total }, 'processing order');
        runs.set(orderId, (runs.get(orderId) ?? 0) + 1);
        reached.add(ctx.awsRequestId);
        ctx.metrics.add('OrderTotal', 'Count', total);
        const work = sleep(delayMs); // ignores the signal on purpose: timeout() must not wait for it
        logicStillRunning.push(work);
        await work;
        if (fail) throw new Error(`order ${orderId} failed`);
        return { orderId, currency: ctx.config.currency, requestId: ctx.awsRequestId };
      });

    const plans = plan(rand);
    const timersBefore = timers();
    const outcomes = await Promise.allSettled(
      plans.map(async (p) => {
        await sleep(p.duplicateOf === undefined ? Math.floor(rand() * 20) : 30 + Math.floor(rand() * 60));
        const event = {
          version: '0',
          id: p.eventId,
          'detail-type': 'OrderPlaced',
          source: 'shop.orders',
          account: '123456789012',
          time: new Date().toISOString(),
          region: 'us-east-1',
          resources: [],
          detail: { orderId: p.orderId, total: p.total, delayMs: p.delayMs, fail: p.fail },
        };
        const context = createContext({
          functionName: 'orders',
          qualifier: p.alias,
          requestId: p.requestId,
          timeoutMs: p.timesOut ? 1_000 : 10_000,
        });
        // As Lambda Managed Instances do: each invocation's trace header lives in the runtime's
        // async-context invoke store, while the process-wide variable holds someone else's.
        return invokeStore.run({ traceId: traceHeaderOf(p) }, () => handler(event, context));
      }),
    );

    // Outcomes: each invocation got its own result, error or timeout.
    const resultOf = (p: Plan) => ({
      orderId: p.orderId,
      currency: p.alias === 'blue' ? 'USD' : 'GBP',
      requestId: p.requestId,
    });
    for (const p of plans) {
      const outcome = outcomes[p.i]!;
      if (p.timesOut) {
        expect(outcome.status === 'rejected' && outcome.reason).toBeInstanceOf(TimeoutError);
      } else if (p.fail) {
        expect(outcome).toMatchObject({ status: 'rejected', reason: { message: `order ${p.orderId} failed` } });
      } else if (p.i < UNIQUE_KEYS && p.i >= plans.length - UNIQUE_KEYS) {
        expect(outcome).toEqual({ status: 'fulfilled', value: resultOf(p) });
      }
    }
    // Two invocations share each of the first keys: whichever took the lock first ran the logic
    // and returned its own result; the other replayed that result or found the key in progress.
    for (const dup of plans.filter((p) => p.duplicateOf !== undefined)) {
      const first = plans[dup.duplicateOf!]!;
      const pair = [first, dup].map((p) => ({ p, outcome: outcomes[p.i]! }));
      const ran = pair.filter(
        ({ p, outcome }) => outcome.status === 'fulfilled' && outcome.value.requestId === p.requestId,
      );
      expect(ran).toHaveLength(1);
      const runner = ran[0]!.p;
      const other = pair.find(({ p }) => p !== runner)!;
      if (other.outcome.status === 'fulfilled') expect(other.outcome.value).toEqual(resultOf(runner));
      else expect(other.outcome.reason).toBeInstanceOf(IdempotencyInProgressError);
    }

    // Idempotency: every key's business logic ran exactly once, except that a key whose only
    // invocation timed out may not have reached its logic at all (its 1 s deadline can pass during
    // config and lock on a loaded machine): at most once there.
    expect([...runs.values()].every((count) => count === 1)).toBe(true);
    const mustRun = new Set(plans.filter((p) => !p.timesOut).map((p) => p.orderId));
    const mayRun = new Set(plans.map((p) => p.orderId));
    expect([...mustRun].filter((orderId) => !runs.has(orderId))).toEqual([]);
    expect([...runs.keys()].filter((orderId) => !mayRun.has(orderId))).toEqual([]);

    // Timeouts aborted only their own invocations' signals: each that reached its logic, no other.
    expect([...abortedOwnSignal].sort()).toEqual(
      plans
        .filter((p) => p.timesOut && runs.has(p.orderId))
        .map((p) => p.requestId)
        .sort(),
    );

    // Logs: every line carries its own invocation's request id, correlation id and order.
    const lines = logLines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const byRequest = new Map(plans.map((p) => [p.requestId, p]));
    for (const line of lines) {
      const p = byRequest.get(line.requestId as string);
      expect(p, `a log line with an unknown request id: ${JSON.stringify(line)}`).toBeDefined();
      expect(line.correlationId).toBe(p!.eventId);
      expect(line.xrayTraceId).toBe(traceRootOf(p!));
      expect(line.functionArn).toBe(`arn:aws:lambda:us-east-1:123456789012:function:orders:${p!.alias}`);
      if ('orderId' in line) expect(line.orderId).toBe(p!.orderId);
      if ('total' in line) expect(line.total).toBe(p!.total);
    }
    // Held-back DEBUG lines were written for the invocations that failed or timed out, only.
    const debugFor = new Set(lines.filter((l) => l.level === 'DEBUG').map((l) => l.requestId));
    expect([...debugFor].sort()).toEqual(
      plans
        .filter((p) => (p.fail || p.timesOut) && reached.has(p.requestId))
        .map((p) => p.requestId)
        .sort(),
    );

    // Metrics: every EMF object carries its own request id and only its own invocation's total.
    const emf = emfLines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((object) => 'OrderTotal' in object);
    for (const object of emf) {
      const p = byRequest.get(object.requestId as string);
      expect(p).toBeDefined();
      expect(object.OrderTotal).toBe(p!.total);
    }
    // One per invocation that reached its logic: each key once (a timed-out one may not have).
    expect(reached.size).toBeGreaterThanOrEqual(UNIQUE_KEYS - plans.filter((p) => p.timesOut).length);
    expect(emf).toHaveLength(reached.size);
    expect(new Set(emf.map((object) => object.requestId))).toEqual(reached);

    // Nothing of any invocation is left behind once the business logic that ignored its
    // timeout (sleeping past its deadline) has finished too: no timer.
    // (The SDK clients' keep-alive sockets keep idle timers of their own: close them first.)
    ssmClient.destroy();
    dynamoClient.destroy();
    await Promise.all(logicStillRunning);
    expect(timers()).toBeLessThanOrEqual(timersBefore);
  });
});

function timeout50() {
  return timeoutMiddleware({ marginMs: 50 });
}

import { timeout as timeoutMiddleware } from '@lambdakit/core';
