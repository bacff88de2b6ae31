import { AsyncLocalStorage } from 'node:async_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { lambdaContext } from '../test/lambda-context.js';
import { lambda } from './lambda.js';
import type { MiddyMiddleware } from './middleware.js';
import { defineMiddleware } from './pipeline.js';
import { timeout } from './timeout.js';

// A middleware's hook cannot wrap the rest of the pipeline in a callback, so one that needs an
// AsyncLocalStorage store for the invocation (the tracer, the recursion guard) sets it with
// `enterWith`. Each invocation runs in its own async scope: the store reaches the business logic
// and never the caller (the runtime's loop), where the next invocation would start inside it.

const tick = () => new Promise((resolve) => setImmediate(resolve));

function entering(store: AsyncLocalStorage<string>) {
  return defineMiddleware({
    name: 'enters',
    before: (request) => store.enterWith(request.context.awsRequestId),
  });
}

describe('each invocation runs in its own async scope', () => {
  it('a store entered from a hook reaches the business logic and stays out of the caller', async () => {
    const store = new AsyncLocalStorage<string>();
    const handler = lambda()
      .use(entering(store))
      .handle(async () => {
        await tick();
        return store.getStore();
      });
    expect(await handler({}, lambdaContext({ requestId: 'first' }))).toBe('first');
    expect(store.getStore()).toBeUndefined();
    expect(await handler({}, lambdaContext({ requestId: 'second' }))).toBe('second');
    expect(store.getStore()).toBeUndefined();
  });

  it('invocations running at once each keep their own store, on Middy too', async () => {
    const store = new AsyncLocalStorage<string>();
    const plainMiddy: MiddyMiddleware = { after: () => {} };
    const handler = lambda()
      .use(entering(store))
      .use(plainMiddy)
      .handle(async (_event, ctx) => {
        await tick();
        const seen = store.getStore();
        await tick();
        return [ctx.awsRequestId, seen, store.getStore()];
      });
    const ids = Array.from({ length: 10 }, (_, n) => `request-${n}`);
    const results = await Promise.all(ids.map((id) => handler({}, lambdaContext({ requestId: id }))));
    expect(results).toEqual(ids.map((id) => [id, id, id]));
    expect(store.getStore()).toBeUndefined();
  });

  it('keeps the caller’s own stores visible inside the invocation', async () => {
    const outer = new AsyncLocalStorage<string>();
    const handler = lambda().handle(async () => {
      await tick();
      return outer.getStore();
    });
    expect(await outer.run('runtime scope', () => handler({}, lambdaContext()))).toBe('runtime scope');
  });

  it('lets a finished invocation be garbage-collected while later ones run', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    // The store holds the invocation's ctx, as the tracer's holds its trace (which holds ctx).
    const store = new AsyncLocalStorage<object>();
    const seen: WeakRef<object>[] = [];
    const handler = lambda()
      .use(defineMiddleware({ name: 'enters ctx', before: (request) => store.enterWith(request.context) }))
      .use(timeout({ marginMs: 100 }))
      .handle(async (_event, ctx) => {
        seen.push(new WeakRef(ctx));
        await tick();
        return 'ok';
      });
    for (let n = 0; n < 5; n++) await handler({}, lambdaContext({ timeoutMs: 60_000 }));
    await tick(); // WeakRefs hold their targets until the job that read them ends
    gc();
    // Before the scope, each invocation started inside the previous one's store and kept it alive.
    expect(seen.slice(0, 4).filter((ref) => ref.deref() !== undefined)).toHaveLength(0);
  });
});
