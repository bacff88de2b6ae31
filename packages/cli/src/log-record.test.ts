import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { logFilter, parseTimeBound } from './log-filter.js';
import { parseLevel, parseLogLine } from './log-record.js';

describe('parseLogLine', () => {
  it('never throws, whatever the line', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json(), fc.string({ unit: 'binary' })), (line) => {
        const record = parseLogLine(line);
        expect(record === null || record === undefined || typeof record.raw === 'string').toBe(true);
      }),
    );
  });

  it('reads pino, Lambda JSON, Lambda text and `aws logs tail` lines to the same fields', () => {
    const time = Date.parse('2025-03-01T09:12:00.000Z');
    const expected = { level: 40, time, requestId: 'r-1' };
    expect(parseLogLine(JSON.stringify({ level: 40, time, requestId: 'r-1', msg: 'm' }))).toMatchObject(expected);
    expect(
      parseLogLine(
        JSON.stringify({ timestamp: '2025-03-01T09:12:00.000Z', level: 'WARN', requestId: 'r-1', message: 'm' }),
      ),
    ).toMatchObject(expected);
    expect(parseLogLine('2025-03-01T09:12:00.000Z\tr-1\tWARN\tm')).toMatchObject(expected);
    expect(
      parseLogLine(
        `2025-03-01T09:12:00.000000+00:00 2025/03/01/[$LATEST]abc ${JSON.stringify({ level: 'warn', awsRequestId: 'r-1' })}`,
      ),
    ).toMatchObject(expected);
  });

  it("passes over `lambdakit invoke`'s own notes, as it does blank lines, so piped output has no malformed lines", () => {
    expect(parseLogLine('lambdakit: local AWS: SSM at http://127.0.0.1:4566, DynamoDB at http://127.0.0.1:4567')).toBe(
      null,
    );
    // Only the CLI's own `lambdakit: ` notes: other text is a plain line of the log.
    expect(parseLogLine('lambdakit says hello')).toMatchObject({ kind: 'plain', message: 'lambdakit says hello' });
  });

  it("reads Lambda's platform lines: invocation lines with their request id, init lines with none", () => {
    expect(parseLogLine('START RequestId: r-1 Version: $LATEST')).toMatchObject({ kind: 'platform', requestId: 'r-1' });
    expect(parseLogLine('REPORT RequestId: r-1\tDuration: 1.00 ms')).toMatchObject({ requestId: 'r-1' });
    const initStart =
      'INIT_START Runtime Version: nodejs:22.v41\tRuntime Version ARN: arn:aws:lambda:us-east-1::runtime:abc';
    expect(parseLogLine(initStart)).toMatchObject({ kind: 'platform', requestId: undefined, message: initStart });
    expect(parseLogLine('INIT_REPORT Init Duration: 120.50 ms\tPhase: init\tStatus: error')).toMatchObject({
      kind: 'platform',
      requestId: undefined,
    });
    expect(parseLogLine('INIT_STARTED nothing')).toMatchObject({ kind: 'plain', level: undefined });
  });

  it("keeps a plain line of text (Node's report of an uncaught error) and finds binary or broken JSON malformed", () => {
    expect(parseLogLine('Error: boom in a timer')).toEqual({
      raw: 'Error: boom in a timer',
      kind: 'plain',
      level: undefined,
      time: undefined,
      requestId: undefined,
      message: 'Error: boom in a timer',
      fields: undefined,
    });
    expect(parseLogLine('\u0000\u0001 binary')).toBeUndefined();
    expect(parseLogLine('\u001b[2J clear screen')).toBeUndefined();
    expect(parseLogLine('{"unterminated": ')).toBeUndefined();
    expect(parseLogLine('42')).toBeUndefined();
  });

  it('reads a console line written outside an invocation (nodejs24.x prints "-") with no request id', () => {
    expect(parseLogLine('2025-03-01T09:12:03.120Z\t-\tINFO\tlogged during init')).toMatchObject({
      kind: 'text',
      requestId: undefined,
      message: 'logged during init',
    });
  });

  it('reads the "Task timed out" line, also as `aws logs tail` prints it, at level ERROR', () => {
    const line = '2025-03-01T09:12:03.120Z 4f0c1a6e-9a57-4a43-93a4-5d1c7f0e2b11 Task timed out after 3.00 seconds';
    const expected = {
      kind: 'platform',
      level: 50,
      time: Date.parse('2025-03-01T09:12:03.120Z'),
      requestId: '4f0c1a6e-9a57-4a43-93a4-5d1c7f0e2b11',
      message: 'Task timed out after 3.00 seconds',
    };
    expect(parseLogLine(line)).toMatchObject(expected);
    expect(parseLogLine(`2025-03-01T09:12:03.121000+00:00 2025/03/01/[$LATEST]abc ${line}`)).toMatchObject(expected);
  });

  it('finds the request id of Lambda JSON platform events under record', () => {
    const line = JSON.stringify({
      time: '2025-03-01T09:12:00.000Z',
      type: 'platform.start',
      record: { requestId: 'r-2' },
    });
    expect(parseLogLine(line)).toMatchObject({ requestId: 'r-2', message: 'platform.start' });
  });
});

describe('parseLevel', () => {
  it.each([
    ['warn', 40],
    ['WARNING', 40],
    ['Error', 50],
    ['fatal', 60],
    [30, 30],
    ['20', 20],
    ['loud', undefined],
    [null, undefined],
  ])('reads %j as %j', (input, level) => {
    expect(parseLevel(input)).toBe(level);
  });
});

describe('logFilter time window', () => {
  const at = (iso: string) => ({ ...parseLogLine(JSON.stringify({ time: iso }))! });

  it('spans midnight when --since is later in the day than --until', () => {
    const keep = logFilter({ since: '23:50', until: '00:10' });
    expect(keep(at('2025-03-01T23:55:00.000Z'))).toBe(true);
    expect(keep(at('2025-03-02T00:10:59.000Z'))).toBe(true);
    expect(keep(at('2025-03-02T00:11:00.000Z'))).toBe(false);
    expect(keep(at('2025-03-01T12:00:00.000Z'))).toBe(false);
  });

  it('includes the whole second of an HH:MM:SS --until', () => {
    const keep = logFilter({ until: '09:15:30' });
    expect(keep(at('2025-03-01T09:15:30.999Z'))).toBe(true);
    expect(keep(at('2025-03-01T09:15:31.000Z'))).toBe(false);
  });

  it('treats an ISO date as the whole day', () => {
    expect(parseTimeBound('2025-03-01', '--until')).toEqual({
      kind: 'instant',
      ms: Date.parse('2025-03-02T00:00:00Z') - 1,
    });
  });

  it('drops lines without a time when a window is given', () => {
    expect(logFilter({ since: '00:00' })(parseLogLine('{"msg":"no time"}')!)).toBe(false);
  });
});
