import { describe, expect, it, vi } from 'vitest';
import { lambdaContext as createContext } from '../test/lambda-context.js';
import { lambda } from './lambda.js';
import type { MiddyMiddleware } from './middleware.js';
import { defineMiddleware } from './pipeline.js';
import { timeout } from './timeout.js';
import { TimeoutError } from './timeout-error.js';

type Req = {
  event: any;
  context: any;
  response: any;
  error: any;
  internal: Record<string, unknown>;
  earlyResponse?: unknown;
};
type Spec = { name: string; before?: (r: Req) => unknown; after?: (r: Req) => unknown; onError?: (r: Req) => unknown };

const tick = () => new Promise((resolve) => setImmediate(resolve));

/**
 * Each case: middlewares (as specs: hooks may be sync or async, return, throw or set fields),
 * a business logic and an event. It runs twice, once with every middleware declared (lambdakit's
 * pipeline) and once with the same hooks as plain objects (Middy), and both must give the same
 * calls in the same order, the same result or error (with `originalError`), the same request
 * fields seen by each hook.
 */
const cases: Array<{
  name: string;
  specs: (log: string[]) => Spec[];
  logic: (event: any, ctx: any) => unknown;
  event?: unknown;
}> = [
  {
    name: 'before hooks in order, after hooks in reverse, event and response changed',
    specs: (log) => [
      {
        name: 'a',
        before: (r) => void log.push(`a.before ${JSON.stringify(r.event)}`),
        after: (r) => {
          r.response = `${r.response}|a`;
        },
      },
      {
        name: 'b',
        before: async (r) => {
          await tick();
          r.event = { n: r.event.n + 1 };
          r.context.added = 'b';
        },
        after: async (r) => {
          log.push(`b.after ${r.response}`);
          r.response = `${r.response}|b`;
        },
      },
    ],
    logic: (event, ctx) => `n=${event.n} added=${ctx.added}`,
    event: { n: 1 },
  },
  {
    name: 'an early response from a before skips the rest, the logic and every after',
    specs: (log) => [
      { name: 'a', before: () => void log.push('a.before'), after: () => void log.push('a.after') },
      { name: 'b', before: () => ({ statusCode: 400 }), after: () => void log.push('b.after') },
      { name: 'c', before: () => void log.push('c.before') },
    ],
    logic: () => 'unreached',
  },
  {
    name: 'request.earlyResponse set to undefined counts as an early response',
    specs: (log) => [
      {
        name: 'a',
        before: (r) => {
          r.earlyResponse = undefined;
        },
      },
      { name: 'b', before: () => void log.push('b.before') },
    ],
    logic: () => 'unreached',
  },
  {
    name: 'an async early response from an after skips the afters before it',
    specs: (log) => [
      { name: 'a', after: () => void log.push('a.after') },
      { name: 'b', after: async (r) => `replaced ${r.response}` },
    ],
    logic: () => 'result',
  },
  {
    name: 'a thrown business error goes to onError hooks in reverse; the first to answer wins',
    specs: (log) => [
      { name: 'a', onError: () => void log.push('a.onError') },
      {
        name: 'b',
        onError: (r) => {
          log.push(`b.onError ${(r.error as Error).message} ${String(r.response)}`);
          return { statusCode: 500 };
        },
      },
      { name: 'c', onError: (r) => void log.push(`c.onError ${(r.error as Error).message}`) },
    ],
    logic: () => {
      throw new Error('boom');
    },
  },
  {
    name: 'an error nobody answers is rethrown; the response an after had set is reset',
    specs: (log) => [
      {
        name: 'a',
        after: () => void log.push('a.after'),
        onError: (r) => void log.push(`a.onError ${String(r.response)}`),
      },
      {
        name: 'b',
        after: (r) => {
          r.response = 'changed';
          throw new TypeError('after broke');
        },
      },
    ],
    logic: () => 'result',
  },
  {
    name: 'an onError hook that sets the response without returning continues the chain',
    specs: (log) => [
      { name: 'a', onError: (r) => void log.push(`a.onError sees ${JSON.stringify(r.response)}`) },
      {
        name: 'b',
        onError: (r) => {
          r.response = { handled: true };
        },
      },
    ],
    logic: async () => {
      await tick();
      throw new RangeError('late');
    },
  },
  {
    name: 'an onError hook that throws replaces the error and carries the first as originalError',
    specs: () => [
      {
        name: 'a',
        onError: () => {
          throw new Error('from onError');
        },
      },
    ],
    logic: () => {
      throw new Error('first');
    },
  },
  {
    name: 'a before that throws skips the logic; async rejections too',
    specs: (log) => [
      {
        name: 'a',
        before: () => Promise.reject(new Error('rejected')),
        onError: (r) => void log.push(`a.onError ${(r.error as Error).message}`),
      },
      { name: 'b', before: () => void log.push('b.before') },
    ],
    logic: () => 'unreached',
  },
  {
    name: 'null and falsy values returned by hooks are early responses; an undefined event becomes {}',
    specs: (log) => [
      {
        name: 'a',
        before: (r) => {
          log.push(`event ${JSON.stringify(r.event)}`);
          return null;
        },
      },
    ],
    logic: () => 'unreached',
    event: undefined,
  },
  {
    name: 'a thenable returned by a hook is awaited',
    specs: () => [
      {
        name: 'a',
        // biome-ignore lint/suspicious/noThenProperty: a thenable that is not a Promise, on purpose
        after: () => ({ then: (resolve: (v: unknown) => void) => resolve('from thenable') }),
      },
    ],
    logic: () => 'result',
  },
];

async function outcomeOf(handler: (event: unknown, context: never) => Promise<unknown>, event: unknown) {
  try {
    return { result: await handler(event, createContext() as never) };
  } catch (error) {
    const e = error as Error & { originalError?: Error };
    return { error: `${e.name}: ${e.message}`, originalError: e.originalError?.message };
  }
}

function toMiddleware(spec: Spec, declared: boolean, log: string[]): MiddyMiddleware & { name: string } {
  const wrap = (phase: string, hook: ((r: Req) => unknown) | undefined) =>
    hook === undefined
      ? undefined
      : (r: Req) => {
          log.push(`${spec.name}.${phase}: stage ${r.context.stage}, internal ${JSON.stringify(r.internal)}`);
          return hook(r);
        };
  const mw = {
    name: spec.name,
    before: wrap('before', spec.before),
    after: wrap('after', spec.after),
    onError: wrap('onError', spec.onError),
  };
  return declared ? defineMiddleware(mw) : mw;
}

describe("lambdakit's pipeline against Middy's", () => {
  it.each(cases)('$name: the same calls, order and outcome on both', async ({ specs, logic, event }) => {
    const run = async (declared: boolean) => {
      const log: string[] = [];
      let builder = lambda() as ReturnType<typeof lambda>;
      for (const spec of specs(log)) builder = builder.use(toMiddleware(spec, declared, log) as never) as never;
      const handler = builder.handle((e, ctx) => {
        log.push(`logic: stage ${(ctx as never as { stage: string }).stage}`);
        return logic(e, ctx);
      });
      const outcome = await outcomeOf(handler as never, event);
      return { log, outcome };
    };
    const own = await run(true);
    const middy = await run(false);
    expect(own).toEqual(middy);
    expect(own.log.length).toBeGreaterThan(0);
  });

  it('moves a handler onto Middy when a plain middleware is added to it later, keeping the declared ones', async () => {
    const calls: string[] = [];
    const declared = defineMiddleware({ name: 'declared', before: () => void calls.push('declared') });
    const handler = lambda()
      .use(declared)
      .handle(() => 'ok');
    await expect(handler({}, createContext())).resolves.toBe('ok');
    handler.use({
      after: (r: Req) => {
        r.response = `${r.response}!`;
      },
    });
    await expect(handler({}, createContext())).resolves.toBe('ok!');
    expect(calls).toEqual(['declared', 'declared']);
  });

  it('reports the stage where a timeout struck on both pipelines', async () => {
    vi.useFakeTimers();
    try {
      for (const declare of [true, false]) {
        const slow = { name: 'slow', before: () => new Promise(() => {}) };
        const handler = lambda()
          .use(timeout({ marginMs: 100 }))
          .use(declare ? defineMiddleware(slow) : slow)
          .handle(() => 'unreached');
        const result = handler({}, createContext({ timeoutMs: 1000 })).catch((e: unknown) => e);
        await vi.advanceTimersByTimeAsync(900);
        const error = await result;
        expect(error).toBeInstanceOf(TimeoutError);
        expect((error as TimeoutError).stage).toBe('slow: before');
      }
    } finally {
      vi.useRealTimers();
    }
  });
});
