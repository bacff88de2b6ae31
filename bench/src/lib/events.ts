import { randomUUID } from 'node:crypto';
import { createContext, type TestLambdaContext } from '@lambdakit/testing';

/** The function name every variant runs as (its config lives under `/lambdakit/orders/`). */
export const functionName = 'orders';

/** An order body; `orderId` varies so idempotency keys can be new or repeated. */
export function orderBody(orderId: string, items = 3): string {
  return JSON.stringify({
    orderId,
    customerId: 'c-2048',
    currency: 'EUR',
    items: Array.from({ length: items }, (_, i) => ({ sku: `SKU-${100 + i}`, quantity: 1 + i, unitPriceCents: 1299 })),
    note: 'leave at the door',
  });
}

/** An API Gateway HTTP API (payload format 2.0) `POST /orders` event, as AWS documents it. */
export function apigwV2Event(body: string): Record<string, unknown> {
  const requestId = randomUUID();
  return {
    version: '2.0',
    routeKey: 'POST /orders',
    rawPath: '/orders',
    rawQueryString: '',
    cookies: ['session=abc123'],
    headers: {
      accept: 'application/json',
      'content-length': String(body.length),
      'content-type': 'application/json',
      host: 'abcdef1234.execute-api.eu-west-1.amazonaws.com',
      'user-agent': 'bench/1.0',
      'x-amzn-trace-id': 'Root=1-65f0a1b2-0123456789abcdef01234567',
      'x-forwarded-for': '203.0.113.7',
      'x-forwarded-port': '443',
      'x-forwarded-proto': 'https',
    },
    requestContext: {
      accountId: '123456789012',
      apiId: 'abcdef1234',
      domainName: 'abcdef1234.execute-api.eu-west-1.amazonaws.com',
      domainPrefix: 'abcdef1234',
      http: { method: 'POST', path: '/orders', protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'bench/1.0' },
      requestId,
      routeKey: 'POST /orders',
      stage: '$default',
      time: '12/Mar/2025:19:03:58 +0000',
      timeEpoch: 1741806238000,
    },
    body,
    isBase64Encoded: false,
  };
}

/** `n` order events with distinct order ids (distinct idempotency keys). */
export function orderEvents(n: number, prefix = 'o'): Record<string, unknown>[] {
  return Array.from({ length: n }, (_, i) => apigwV2Event(orderBody(`${prefix}-${i}`)));
}

/**
 * `n` Lambda contexts for the same function, distinct request ids, a 15-minute timeout (Lambda's
 * maximum) so deadlines stay far away for the whole run and no variant ever times out.
 */
export function contexts(n: number): TestLambdaContext[] {
  return Array.from({ length: n }, () => createContext({ functionName, timeoutMs: 900_000, region: 'eu-west-1' }));
}

/** An SQS event of `n` records whose bodies are order JSON. */
export function sqsOrderBatch(n: number): Record<string, unknown> {
  return {
    Records: Array.from({ length: n }, (_, i) => {
      const body = orderBody(`sqs-${i}`);
      return {
        messageId: randomUUID(),
        receiptHandle: `AQEB${'x'.repeat(40)}${i}`,
        body,
        attributes: {
          ApproximateReceiveCount: '1',
          SentTimestamp: '1741806238000',
          SenderId: 'AIDAIENQZJOLO23YVJ4VO',
          ApproximateFirstReceiveTimestamp: '1741806238001',
        },
        messageAttributes: {},
        md5OfBody: 'e4e68fb7bd0e697a0ae8f1bb342846b3',
        eventSource: 'aws:sqs',
        eventSourceARN: 'arn:aws:sqs:eu-west-1:123456789012:orders',
        awsRegion: 'eu-west-1',
      };
    }),
  };
}
