import { describe, expect, it } from 'vitest';
import { capture } from '../test/capture.js';
import { correlationIdFrom, createLogger, invocationLogger } from './index.js';

describe('correlationIdFrom()', () => {
  it('takes API Gateway REST and HTTP API request ids from requestContext.requestId', () => {
    expect(
      correlationIdFrom({
        resource: '/orders',
        httpMethod: 'POST',
        requestContext: { requestId: 'rest-1', stage: 'prod' },
      }),
    ).toBe('rest-1');
    expect(
      correlationIdFrom({
        version: '2.0',
        routeKey: 'POST /orders',
        requestContext: { requestId: 'http-1', http: {} },
      }),
    ).toBe('http-1');
  });

  it('takes a function URL’s request id from requestContext.requestId', () => {
    expect(
      correlationIdFrom({
        version: '2.0',
        rawPath: '/',
        requestContext: { domainName: 'abc.lambda-url.us-east-1.on.aws', requestId: 'url-1' },
      }),
    ).toBe('url-1');
  });

  it('prefers an x-correlation-id header, matched in any case, over the platform’s request id', () => {
    expect(
      correlationIdFrom({ headers: { 'X-Correlation-Id': 'caller-1' }, requestContext: { requestId: 'rest-1' } }),
    ).toBe('caller-1');
    expect(correlationIdFrom({ headers: { 'x-correlation-id': 'caller-2' } })).toBe('caller-2');
    expect(correlationIdFrom({ multiValueHeaders: { 'X-CORRELATION-ID': ['caller-3', 'other'] } })).toBe('caller-3');
  });

  it('uses the X-Amzn-Trace-Id an ALB adds when the request has no correlation header', () => {
    const alb = {
      requestContext: { elb: { targetGroupArn: 'arn:aws:elasticloadbalancing:…' } },
      headers: { 'x-amzn-trace-id': 'Root=1-abc' },
    };
    expect(correlationIdFrom(alb)).toBe('Root=1-abc');
    expect(correlationIdFrom({ ...alb, headers: { ...alb.headers, 'x-correlation-id': 'caller-4' } })).toBe('caller-4');
  });

  it('takes the first SQS record’s messageId, or the first SNS record’s MessageId', () => {
    const sqs = {
      Records: [
        { eventSource: 'aws:sqs', messageId: 'msg-1' },
        { eventSource: 'aws:sqs', messageId: 'msg-2' },
      ],
    };
    expect(correlationIdFrom(sqs)).toBe('msg-1');
    expect(correlationIdFrom({ Records: [{ EventSource: 'aws:sns', Sns: { MessageId: 'sns-1' } }] })).toBe('sns-1');
  });

  it('takes an EventBridge event’s id', () => {
    expect(
      correlationIdFrom({ version: '0', id: 'eb-1', 'detail-type': 'Order Placed', source: 'shop', detail: {} }),
    ).toBe('eb-1');
  });

  it('finds none in events that carry no id, or are not objects', () => {
    for (const event of [
      undefined,
      null,
      'text',
      42,
      [],
      {},
      { id: 'no-source' },
      { Records: [] },
      { Records: [null] },
      { headers: { 'x-correlation-id': '' } },
    ]) {
      expect(correlationIdFrom(event)).toBeUndefined();
    }
  });

  it('never throws on a hostile event', () => {
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('trap');
        },
      },
    );
    expect(correlationIdFrom(hostile)).toBeUndefined();
    expect(correlationIdFrom({ headers: hostile })).toBeUndefined();
  });
});

describe('correlationId on invocation lines', () => {
  it('comes from the event by default and from the correlationId option when given', () => {
    const out = capture();
    const event = { requestContext: { requestId: 'rest-1' }, body: '{"orderId":"o-9"}' };
    invocationLogger(createLogger({ destination: out, env: {} }), event, {}).info('default');
    const custom = createLogger({
      destination: out,
      env: {},
      correlationId: (e) => JSON.parse((e as typeof event).body).orderId,
    });
    invocationLogger(custom, event, {}).info('custom');
    expect(out.records().map((r) => r.correlationId)).toEqual(['rest-1', 'o-9']);
  });

  it('is left out when the correlationId option throws or returns a non-string', () => {
    const out = capture();
    const throwing = createLogger({
      destination: out,
      env: {},
      correlationId: () => {
        throw new Error('x');
      },
    });
    invocationLogger(throwing, {}, {}).info('a');
    invocationLogger(createLogger({ destination: out, env: {}, correlationId: () => 5 as never }), {}, {}).info('b');
    for (const record of out.records()) expect(record).not.toHaveProperty('correlationId');
  });
});
