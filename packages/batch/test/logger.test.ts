import { lambda } from '@lambdakit/core';
import { createLogger, logger } from '@lambdakit/logger';
import { sqs } from '@lambdakit/parser';
import { createContext } from '@lambdakit/testing';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { batch } from '../src/index.js';
import { failures, idsOf, sqsEvent } from './support.js';

const Order = z.object({ orderId: z.string(), quantity: z.number() });

describe('with @lambdakit/logger', () => {
  it("logs each record's lines and its failure through a child of ctx.log carrying the invocation and the record id", async () => {
    const lines: string[] = [];
    const root = createLogger({ destination: { write: (line: string) => void lines.push(line) }, pretty: false });
    const handler = lambda()
      .use(logger({ logger: root }))
      .handle(
        batch(
          (record, ctx) => {
            ctx.log.info({ orderId: record.body.orderId }, 'shipping');
            if (record.body.quantity === 2) throw new Error('out of stock');
          },
          { schema: sqs(Order) },
        ),
      );
    const event = sqsEvent(2);
    const ids = idsOf(event);
    expect(await handler(event, createContext({ requestId: 'req-7' }))).toEqual(failures(ids[1]!));
    const logged = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(logged).toEqual([
      expect.objectContaining({ message: 'shipping', orderId: 'order-1', recordId: ids[0], requestId: 'req-7' }),
      expect.objectContaining({ message: 'shipping', orderId: 'order-2', recordId: ids[1], requestId: 'req-7' }),
      expect.objectContaining({
        level: 'ERROR',
        message: 'Batch record failed',
        recordId: ids[1],
        recordIndex: 1,
        requestId: 'req-7',
        err: expect.objectContaining({ message: 'out of stock' }),
      }),
    ]);
  });
});
