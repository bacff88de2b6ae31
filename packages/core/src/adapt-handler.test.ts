import { describe, expect, it } from 'vitest';
import { lambdaContext as createContext } from '../test/lambda-context.js';
import { defineHandlerAdapter } from './adapt-handler.js';
import { lambda } from './lambda.js';
import type { Middleware } from './middleware.js';
import { defineMiddleware } from './pipeline.js';

describe('defineHandlerAdapter()', () => {
  it('lets a business logic see Lambda’s event first and answer Lambda itself', async () => {
    const seen: unknown[] = [];
    const upper: Middleware = defineMiddleware({
      name: 'upper',
      before: (request) => {
        seen.push(request.event);
      },
    });
    const logic = defineHandlerAdapter(
      async (event: unknown) => ({ got: event }),
      (handler) => async (event, context) => ({
        envelope: await handler((event as { inner: unknown }).inner, context),
      }),
    );
    const handler = lambda().use(upper).handle(logic);
    await expect(handler({ inner: 'payload' }, createContext())).resolves.toEqual({ envelope: { got: 'payload' } });
    expect(seen).toEqual(['payload']);
    // Still a Middy instance: its methods forward to the chain inside the adapter.
    expect(typeof handler.use).toBe('function');
  });

  it('leaves ctx.replaying false and ctx.stage at the pipeline’s own', async () => {
    const handler = lambda().handle(async (_event, ctx) => [ctx.replaying, ctx.stage]);
    await expect(handler({}, createContext())).resolves.toEqual([false, 'handler']);
  });

  it('refuses what is not a function', () => {
    expect(() => defineHandlerAdapter('x' as never, (h) => h)).toThrow(TypeError);
    expect(() => defineHandlerAdapter(async () => 1, 'x' as never)).toThrow(
      'defineHandlerAdapter(logic, adapter): both must be functions',
    );
  });
});
