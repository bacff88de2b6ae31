import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { StreamPrinter } from './stream-printer.js';

const PRELUDE = 'application/vnd.awslambda.http-integration-response';

function printer(live = true) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: string[] = [];
  stdout.on('data', (chunk: Buffer) => out.push(chunk));
  stderr.on('data', (chunk: Buffer) => err.push(chunk.toString()));
  const p = new StreamPrinter('req-1', stdout, stderr, live);
  return {
    p,
    stdout: () => Buffer.concat(out),
    lines: () =>
      err
        .join('')
        .split('\n')
        .filter((line) => line !== ''),
  };
}

const prelude = Buffer.concat([Buffer.from('{"statusCode":202,"headers":{"x-a":"b"}}'), Buffer.alloc(8)]);

describe('StreamPrinter', () => {
  it('finds the prelude wherever the pieces cut it, the delimiter included, and prints only the body', () => {
    const all = Buffer.concat([prelude, Buffer.from('body')]);
    for (const cuts of [[3], [20, 41], [42, 45], [44], [all.length - 1]]) {
      const { p, stdout, lines } = printer();
      p.open(PRELUDE);
      let from = 0;
      for (const cut of [...cuts, all.length]) {
        p.chunk(all.subarray(from, cut));
        from = cut;
      }
      p.finish(false);
      expect(stdout().toString(), `cut at ${cuts}`).toBe('body');
      expect(lines()[0]).toMatch(/^lambdakit: req-1: at [\d.]+ ms: HTTP 202, headers \{"x-a":"b"\}$/);
      expect(lines().at(-1)).toMatch(/^lambdakit: req-1: stream ended: \d chunks, 4 B, first byte at [\d.]+ ms$/);
    }
  });

  it('prints a response without a prelude as its raw bytes', () => {
    const { p, stdout, lines } = printer();
    p.open('application/octet-stream');
    p.chunk(Buffer.from([0, 1, 2]));
    p.finish(false);
    expect([...stdout()]).toEqual([0, 1, 2]);
    expect(lines()).toHaveLength(2);
    expect(p.endsWithNewline).toBe(false);
  });

  it('lists 50 chunks, then only counts them', () => {
    const { p, lines } = printer();
    p.open('text/plain');
    for (let i = 0; i < 60; i++) p.chunk(Buffer.from('x\n'));
    p.finish(false);
    expect(lines().filter((line) => / chunk \d+, /.test(line))).toHaveLength(50);
    expect(lines().at(-2)).toBe('lambdakit: req-1: 10 more chunks not listed');
    expect(lines().at(-1)).toMatch(/stream ended: 60 chunks, 120 B/);
    expect(p.endsWithNewline).toBe(true);
  });

  it('says a stream cut off inside its prelude, without printing the prelude as body', () => {
    const { p, stdout, lines } = printer();
    p.open(PRELUDE);
    p.chunk(prelude.subarray(0, 20));
    p.finish(true);
    expect(stdout()).toHaveLength(0);
    expect(lines()).toEqual(['lambdakit: req-1: the stream ended inside its HTTP prelude, after 20 B']);
  });

  it('holds the body when not live, and gives it without its prelude', () => {
    const { p, stdout } = printer(false);
    p.open(PRELUDE);
    p.chunk(Buffer.concat([prelude, Buffer.from('held')]));
    p.finish(false);
    expect(stdout()).toHaveLength(0);
    expect(p.printed).toBe(false);
    expect(p.heldBody()?.toString()).toBe('held');
  });

  it('holds nothing when no response was streamed', () => {
    expect(printer(false).p.heldBody()).toBeUndefined();
  });
});
