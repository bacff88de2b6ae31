import type { LambdaContext } from '@lambdakit/core';
import { lambda, timeout } from '@lambdakit/core';
import { type InvokeStreamResult, invokeStream } from '@lambdakit/testing';
import { describe, expectTypeOf, it } from 'vitest';
import {
  type HttpResponse,
  http,
  type LambdaResponseStream,
  type StreamBody,
  type StreamingHandler,
  stream,
  streaming,
} from './index.js';

describe('streamed responses: types', () => {
  it('stream() keeps its status, and takes async iterables and iterables of text or bytes', () => {
    async function* rows() {
      yield 'a\n';
    }
    expectTypeOf(stream(200, rows(), 'text/plain')).toEqualTypeOf<HttpResponse<200, StreamBody>>();
    stream(200, [new Uint8Array(1), 'text'], 'application/octet-stream');
    // @ts-expect-error a chunk is text or bytes
    stream(200, [1, 2], 'application/octet-stream');
    // @ts-expect-error the content type is required
    stream(200, rows());
  });

  it('a route may return stream(), or an async generator as it is', () => {
    const base = lambda().use(timeout());
    http(base)
      .get('/export', (_request, ctx) => {
        expectTypeOf(ctx.signal).toEqualTypeOf<AbortSignal>();
        return stream(200, ['x'], 'text/plain');
      })
      .get('/lines', async function* () {
        yield 'line\n';
      });
  });

  it('streaming() gives the handler Lambda calls with a response stream', () => {
    const base = lambda();
    const handler = streaming(base.handle(http(base)));
    expectTypeOf(handler).toEqualTypeOf<StreamingHandler<unknown>>();
    expectTypeOf(handler).parameters.toEqualTypeOf<[unknown, LambdaResponseStream, LambdaContext]>();
    expectTypeOf(handler).returns.toEqualTypeOf<Promise<void>>();
    // @ts-expect-error a handler, not an options object
    streaming({ highWaterMark: 1 });
  });

  it('invokeStream() takes a streaming handler, and not a buffered one', () => {
    const base = lambda();
    const buffered = base.handle(http(base));
    expectTypeOf(invokeStream(streaming(buffered), {})).toEqualTypeOf<Promise<InvokeStreamResult>>();
    // @ts-expect-error (event, context) is not (event, responseStream, context)
    invokeStream(buffered, {});
  });
});
