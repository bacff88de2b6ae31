import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { lambda, timeout } from '@lambdakit/core';
import { createContext, invokeStream } from '@lambdakit/testing';
import { describe, expect, it, vi } from 'vitest';
import { requestEvent } from '../test/requests.js';
import { gatewayTimeout, HttpError, http, json, stream, streaming } from './index.js';

const base = lambda();

/** One chunk, then a wait that never ends and ignores every signal. */
async function* stalled() {
  yield 'first\n';
  await new Promise(() => undefined);
}

async function* rows(count: number) {
  for (let i = 1; i <= count; i++) yield `${JSON.stringify({ id: `o-${i}` })}\n`;
}

const app = http(base)
  .get('/export', () => stream(200, rows(3), 'application/x-ndjson', { cookies: ['seen=1'] }))
  .get('/bytes', () => stream(200, [new Uint8Array([0, 1, 2]), new Uint8Array([255])], 'application/octet-stream'))
  .get('/bare', () => rows(2))
  .get('/orders/:id/export', async function* ({ params }) {
    if (params.id !== 'o-1') throw new HttpError(404, { detail: `no order ${params.id}` });
    yield 'order o-1\n';
  })
  .get('/fails', async function* () {
    yield 'first\n';
    throw new Error('the export failed');
  })
  .get('/not-a-chunk', () => stream(200, [42 as unknown as string], 'text/plain'))
  .get('/json', () => json(200, { ok: true }));

const handler = streaming(base.handle(app));

describe('streaming() behind a function URL', () => {
  it('sends the status and headers first, then each chunk as it was produced', async () => {
    const run = await invokeStream(handler, requestEvent('lambda-url', { url: '/export' }));
    expect(run.ok).toBe(true);
    expect(run.ended).toBe(true);
    expect(run.prelude).toEqual({
      statusCode: 200,
      headers: { 'content-type': 'application/x-ndjson' },
      cookies: ['seen=1'],
    });
    expect(run.chunks.map((c) => c.bytes.toString())).toEqual(['{"id":"o-1"}\n', '{"id":"o-2"}\n', '{"id":"o-3"}\n']);
  });

  it('sends bytes as they are, not base64-encoded', async () => {
    const run = await invokeStream(handler, requestEvent('lambda-url', { url: '/bytes' }));
    expect([...run.body]).toEqual([0, 1, 2, 255]);
  });

  it('streams an async iterable a route returns as it is, as application/octet-stream', async () => {
    const run = await invokeStream(handler, requestEvent('lambda-url', { url: '/bare' }));
    expect(run.prelude?.headers).toEqual({ 'content-type': 'application/octet-stream' });
    expect(run.chunks).toHaveLength(2);
  });

  it('sends a response that is not streamed whole, through the same stream', async () => {
    const run = await invokeStream(handler, requestEvent('lambda-url', { url: '/json' }));
    expect(run.prelude).toMatchObject({ statusCode: 200, headers: { 'content-type': 'application/json' } });
    expect(JSON.parse(run.text)).toEqual({ ok: true });
    const missing = await invokeStream(handler, requestEvent('lambda-url', { url: '/nowhere' }));
    expect(missing.prelude?.statusCode).toBe(404);
    expect(JSON.parse(missing.text)).toMatchObject({ status: 404 });
  });

  it('answers an HttpError the body throws before its first chunk as its problem response', async () => {
    const run = await invokeStream(handler, requestEvent('lambda-url', { url: '/orders/o-9/export' }));
    expect(run.ok).toBe(true);
    expect(run.prelude?.statusCode).toBe(404);
    expect(JSON.parse(run.text)).toMatchObject({ status: 404, detail: 'no order o-9' });
  });

  it('fails the invocation when the body throws after its first chunk: what was sent stays', async () => {
    const run = await invokeStream(handler, requestEvent('lambda-url', { url: '/fails' }));
    expect(run.ok).toBe(false);
    expect(run.error).toMatchObject({ errorType: 'Error', errorMessage: 'the export failed' });
    expect(run.prelude?.statusCode).toBe(200);
    expect(run.text).toBe('first\n');
  });

  it('fails before sending anything when the first chunk is neither text nor bytes', async () => {
    const run = await invokeStream(handler, requestEvent('lambda-url', { url: '/not-a-chunk' }));
    expect(run.ok).toBe(false);
    expect(run.error?.errorMessage).toMatch(/chunk 0 is number/);
    expect(run.prelude).toBeUndefined();
    expect(run.body).toHaveLength(0);
  });

  it('answers HEAD with the headers only, and never starts the body', async () => {
    let started = false;
    const headApp = http().get('/export', () =>
      stream(
        200,
        (async function* () {
          started = true;
          yield 'x';
        })(),
        'text/plain',
      ),
    );
    const run = await invokeStream(
      streaming(base.handle(headApp)),
      requestEvent('lambda-url', { method: 'HEAD', url: '/export' }),
    );
    expect(run.prelude).toMatchObject({ statusCode: 200, headers: { 'content-type': 'text/plain' } });
    expect(run.body).toHaveLength(0);
    expect(started).toBe(false);
  });
});

describe('streaming() behind other sources', () => {
  it('writes REST API cookies in the prelude as multi-value headers', async () => {
    const run = await invokeStream(handler, requestEvent('apigw-rest', { url: '/export' }));
    expect(run.prelude).toMatchObject({ statusCode: 200, multiValueHeaders: { 'set-cookie': ['seen=1'] } });
    expect(run.text).toBe('{"id":"o-1"}\n{"id":"o-2"}\n{"id":"o-3"}\n');
  });

  it.each(['alb', 'apigw-http'] as const)('sends %s, which does not stream, the usual JSON result', async (source) => {
    const run = await invokeStream(handler, requestEvent(source, { url: '/export' }));
    expect(run.contentType).toBe('application/json');
    expect(run.prelude).toBeUndefined();
    const result = JSON.parse(run.text) as { statusCode: number; body: string; isBase64Encoded: boolean };
    expect(result).toMatchObject({ statusCode: 200, isBase64Encoded: false });
    expect(result.body).toBe('{"id":"o-1"}\n{"id":"o-2"}\n{"id":"o-3"}\n');
  });
});

describe('a streamed route behind a handler that does not stream', () => {
  const buffered = base.handle(app);

  it('gathers a textual body into one text body', async () => {
    const result = await buffered(requestEvent('apigw-http', { url: '/export' }), createContext());
    expect(result).toMatchObject({ statusCode: 200, isBase64Encoded: false, cookies: ['seen=1'] });
    expect(result.body).toBe('{"id":"o-1"}\n{"id":"o-2"}\n{"id":"o-3"}\n');
  });

  it('gathers bytes into a base64 body', async () => {
    const result = await buffered(requestEvent('alb', { url: '/bytes' }), createContext());
    expect(result).toMatchObject({ statusCode: 200, isBase64Encoded: true, body: 'AAEC/w==' });
  });

  it('refuses a body over 6 MiB rather than cut it', async () => {
    const big = http().get('/big', () =>
      stream(
        200,
        (function* () {
          for (let i = 0; i < 7; i++) yield new Uint8Array(1024 * 1024);
        })(),
        'application/octet-stream',
      ),
    );
    await expect(big(requestEvent('alb', { url: '/big' }), createContext() as never)).rejects.toMatchObject({
      name: 'LambdakitError',
      code: 'HTTP_RESPONSE_TOO_LARGE',
      message: expect.stringMatching(/passed 6291456 bytes while being gathered/),
    });
  });
});

describe('the deadline', () => {
  const timed = lambda().use(timeout({ marginMs: 4_900, onTimeout: gatewayTimeout() }));

  it('ends a stream under way cleanly where it is, and closes the body', async () => {
    let closed = false;
    const slowApp = http(timed).get('/export', () =>
      stream(
        200,
        (async function* () {
          try {
            yield 'first\n';
            await sleep(300); // deaf to ctx.signal: only the iterator's return() runs the finally
            yield 'never\n';
          } finally {
            closed = true;
          }
        })(),
        'text/plain',
      ),
    );
    const run = await invokeStream(streaming(timed.handle(slowApp)), requestEvent('lambda-url', { url: '/export' }), {
      timeoutMs: 5_000,
    });
    expect(run.ok).toBe(true);
    expect(run.timedOut).toBe(false);
    expect(run.ended).toBe(true);
    expect(run.prelude?.statusCode).toBe(200);
    expect(run.text).toBe('first\n');
    await vi.waitFor(() => expect(closed).toBe(true), { timeout: 5_000 });
  });

  it('ends the stream at the deadline even when the body ignores ctx.signal', async () => {
    const deafApp = http(timed).get('/export', () => stream(200, stalled(), 'text/plain'));
    const run = await invokeStream(streaming(timed.handle(deafApp)), requestEvent('lambda-url', { url: '/export' }), {
      timeoutMs: 5_000,
    });
    expect(run).toMatchObject({ ok: true, timedOut: false, ended: true, text: 'first\n' });
  });

  it('never sends a cut-off body as a whole one: an ALB request gets the 504, even after slow cleanup', async () => {
    const app = http(timed).get('/export', (_request, ctx) => {
      ctx.cleanup(() => sleep(50));
      return stream(200, stalled(), 'text/plain');
    });
    const run = await invokeStream(streaming(timed.handle(app)), requestEvent('alb', { url: '/export' }), {
      timeoutMs: 5_000,
    });
    expect(run.ok).toBe(true);
    expect(JSON.parse(run.text)).toMatchObject({ statusCode: 504 });
  });

  it('fails a gathered body cut by the deadline, without timeout(), rather than answer part of it', async () => {
    const app = http(base).get('/export', () => stream(200, stalled(), 'text/plain'));
    // ctx.signal aborts 500 ms before the deadline (core's default margin) with no timeout() in the chain.
    await expect(
      base.handle(app)(requestEvent('alb', { url: '/export' }), createContext({ timeoutMs: 600 })),
    ).rejects.toMatchObject({
      name: 'TimeoutError',
    });
  });

  it('answers a HEAD request that timed out with the 504 headers only', async () => {
    const app = http(timed).get('/export', async (_request, ctx) => {
      await sleep(60_000, undefined, { signal: ctx.signal });
      return stream(200, ['never'], 'text/plain');
    });
    const run = await invokeStream(
      streaming(timed.handle(app)),
      requestEvent('lambda-url', { method: 'HEAD', url: '/export' }),
      { timeoutMs: 5_000 },
    );
    expect(run.prelude?.statusCode).toBe(504);
    expect(run.body).toHaveLength(0);
  });

  it('answers 504 through the stream when it comes before the first chunk', async () => {
    const stuckApp = http(timed).get('/export', (_request, ctx) =>
      stream(
        200,
        (async function* () {
          await sleep(60_000, undefined, { signal: ctx.signal });
          yield 'never\n';
        })(),
        'text/plain',
      ),
    );
    const run = await invokeStream(streaming(timed.handle(stuckApp)), requestEvent('lambda-url', { url: '/export' }), {
      timeoutMs: 5_000,
    });
    expect(run.ok).toBe(true);
    expect(run.prelude?.statusCode).toBe(504);
    expect(JSON.parse(run.text)).toMatchObject({ status: 504, title: 'Gateway Timeout' });
  });
});

describe('backpressure', () => {
  it('waits for the stream to drain before writing more', async () => {
    const chunk = 'x'.repeat(1024);
    const many = http().get('/many', () =>
      stream(
        200,
        Array.from({ length: 64 }, () => chunk),
        'text/plain',
      ),
    );
    let received = '';
    let maxBuffered = 0;
    const slow = new Writable({
      highWaterMark: 4096,
      write(data: Buffer, _encoding, callback) {
        received += data.toString();
        setImmediate(callback);
      },
    });
    const out = Object.assign(slow, {
      setContentType: () => undefined,
    });
    const write = out.write.bind(out);
    out.write = ((data: string | Uint8Array) => {
      maxBuffered = Math.max(maxBuffered, out.writableLength);
      return write(data);
    }) as typeof out.write;
    const done = new Promise((resolve) => out.once('finish', resolve));
    await streaming(base.handle(many))(requestEvent('lambda-url', { url: '/many' }), out, createContext());
    await done;
    expect(received.endsWith(chunk.repeat(64))).toBe(true);
    // Never more than the buffer plus one chunk waiting: writes stopped until it drained.
    expect(maxBuffered).toBeLessThanOrEqual(4096 + 1024);
  });
});

describe('a stream the runtime loses', () => {
  it('stops reading the body once the response stream is destroyed, instead of waiting for a drain', async () => {
    let pulled = 0;
    const many = http().get('/many', () =>
      stream(
        200,
        (function* () {
          for (let i = 0; i < 1000; i++) {
            pulled++;
            yield 'x'.repeat(1024);
          }
        })(),
        'text/plain',
      ),
    );
    let writes = 0;
    const out = Object.assign(
      new Writable({
        highWaterMark: 4096,
        write(_data, _encoding, callback) {
          if (++writes === 3) out.destroy();
          else setImmediate(callback);
        },
      }),
      { setContentType: () => undefined },
    );
    out.on('error', () => undefined);
    await streaming(base.handle(many))(
      requestEvent('lambda-url', { url: '/many' }),
      out,
      createContext({ timeoutMs: 600_000 }),
    );
    expect(pulled).toBeLessThan(1000);
  });
});

describe('streaming() itself', () => {
  it('marks the handler for Lambda’s runtimes as response streaming', () => {
    const marked = streaming(handler as never, { highWaterMark: 1024 }) as unknown as Record<symbol, unknown>;
    expect(marked[Symbol.for('aws.lambda.runtime.handler.streaming')]).toBe('response');
    expect(marked[Symbol.for('aws.lambda.runtime.handler.streaming.highWaterMark')]).toBe(1024);
  });

  it('refuses what is not a handler, and a bad highWaterMark', () => {
    expect(() => streaming(42 as never)).toThrow(/handler must be a function/);
    expect(() => streaming(base.handle(app), { highWaterMark: 0 })).toThrow(/highWaterMark must be a positive integer/);
  });

  it('refuses a body that is not iterable, and a missing content type', () => {
    expect(() => stream(200, 42 as never, 'text/plain')).toThrow(/must be an async iterable or an iterable/);
    expect(() => stream(200, [], '')).toThrow(/content type must be a non-empty string/);
  });
});
