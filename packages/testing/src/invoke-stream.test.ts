import type { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { invokeStream, type StreamingLambdaHandler } from './index.js';

type Stream = Writable & { setContentType(contentType: string): void };

/** Marks a handler as `awslambda.streamifyResponse` does. */
function streamify<E>(fn: (event: E, stream: Stream) => Promise<void>): StreamingLambdaHandler<E> {
  return Object.assign(fn, { [Symbol.for('aws.lambda.runtime.handler.streaming')]: 'response' });
}

/** The prelude and its delimiter, as `awslambda.HttpResponseStream.from` writes them. */
function writePrelude(stream: Stream, prelude: object): void {
  stream.setContentType('application/vnd.awslambda.http-integration-response');
  stream.write(JSON.stringify(prelude));
  stream.write(new Uint8Array(8));
}

describe('invokeStream()', () => {
  it('records each write with its time, and the content type', async () => {
    const run = await invokeStream(
      streamify(async (_event, stream) => {
        stream.setContentType('text/plain');
        stream.write('one ');
        await new Promise((resolve) => setTimeout(resolve, 5));
        stream.write({ two: 2 });
        stream.end(' three');
      }),
      {},
    );
    expect(run).toMatchObject({ ok: true, ended: true, contentType: 'text/plain', text: 'one {"two":2} three' });
    expect(run.chunks.map((c) => c.bytes.toString())).toEqual(['one ', '{"two":2}', ' three']);
    const times = run.chunks.map((c) => c.atMs);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('splits the HTTP prelude from the body, wherever the writes cut it', async () => {
    const run = await invokeStream(
      streamify(async (_event, stream) => {
        const prelude = Buffer.concat([
          Buffer.from(JSON.stringify({ statusCode: 201, headers: { 'content-type': 'text/csv' } })),
          Buffer.alloc(8),
          Buffer.from('a,b\n'),
        ]);
        stream.setContentType('application/vnd.awslambda.http-integration-response');
        stream.write(prelude.subarray(0, 10));
        stream.write(prelude.subarray(10));
        stream.end('1,2\n');
      }),
      {},
    );
    expect(run.prelude).toEqual({ statusCode: 201, headers: { 'content-type': 'text/csv' } });
    expect(run.contentType).toBe('text/csv');
    expect(run.chunks.map((c) => c.bytes.toString())).toEqual(['a,b\n', '1,2\n']);
  });

  it('reports the error of a handler that fails mid-stream, with what it wrote', async () => {
    const run = await invokeStream(
      streamify(async (_event, stream) => {
        writePrelude(stream, { statusCode: 200 });
        stream.write('partial');
        throw new TypeError('broke');
      }),
      {},
    );
    expect(run).toMatchObject({ ok: false, timedOut: false, text: 'partial', prelude: { statusCode: 200 } });
    expect(run.error).toMatchObject({ errorType: 'TypeError', errorMessage: 'broke' });
  });

  it('refuses a content type set after the first write, as Lambda does', async () => {
    const run = await invokeStream(
      streamify(async (_event, stream) => {
        stream.write('x');
        stream.setContentType('text/plain');
      }),
      {},
    );
    expect(run.error?.errorMessage).toBe('Cannot set content-type, too late.');
  });

  it('times out a handler that never ends its stream', async () => {
    const run = await invokeStream(
      streamify(async (_event, stream) => {
        stream.write('started');
      }),
      {},
      { timeoutMs: 50 },
    );
    expect(run).toMatchObject({ ok: false, timedOut: true, ended: false, text: 'started' });
    expect(run.error?.errorMessage).toMatch(/Task timed out after 0\.05 seconds$/);
  });

  it('writes the prelude the runtime hooks before the first write (HttpResponseStream.from)', async () => {
    const run = await invokeStream(
      streamify(async (_event, stream) => {
        stream.setContentType('application/vnd.awslambda.http-integration-response');
        Object.assign(stream, {
          _onBeforeFirstWrite: (write: (chunk: string | Uint8Array) => void) => {
            write(JSON.stringify({ statusCode: 202 }));
            write(new Uint8Array(8));
          },
        });
        stream.write('accepted');
        stream.end();
      }),
      {},
    );
    expect(run).toMatchObject({ prelude: { statusCode: 202 }, text: 'accepted' });
  });

  it('refuses a handler not marked for streaming', async () => {
    await expect(invokeStream((async () => undefined) as never, {})).rejects.toThrow(
      /not marked for response streaming/,
    );
  });
});
