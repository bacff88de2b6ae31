// Shared by the profiling scripts: the bench's order schema and 32 ten-record SQS events (as bench/src/lib/events.ts).
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
export const Order = z.object({
  orderId: z.string().min(1).max(64),
  customerId: z.string().min(1).max(64),
  currency: z.enum(['EUR', 'USD', 'GBP']),
  items: z
    .array(
      z.object({
        sku: z.string().min(1).max(32),
        quantity: z.number().int().positive(),
        unitPriceCents: z.number().int().nonnegative(),
      }),
    )
    .min(1)
    .max(100),
  note: z.string().max(500).optional(),
});
const body = (id) =>
  JSON.stringify({
    orderId: id,
    customerId: 'c-2048',
    currency: 'EUR',
    items: [0, 1, 2].map((i) => ({ sku: `SKU-${100 + i}`, quantity: 1 + i, unitPriceCents: 1299 })),
    note: 'leave at the door',
  });
const batch = () => ({
  Records: Array.from({ length: 10 }, (_, i) => ({
    messageId: randomUUID(),
    receiptHandle: `AQEB${'x'.repeat(40)}${i}`,
    body: body(`sqs-${i}`),
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
  })),
});
export const events = Array.from({ length: 32 }, batch);
