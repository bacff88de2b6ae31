import { CallbackError, createRetryStrategy, JitterStrategy, StepError } from '@aws/durable-execution-sdk-js';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { lambda, timeout } from '@lambdakit/core';
import { durable } from '@lambdakit/durable';
import { logger } from '@lambdakit/logger';
import { metrics } from '@lambdakit/metrics';
import { parse } from '@lambdakit/parser';
import { z } from 'zod';
import { type OrderTables, orderStore } from './order-store.js';

/** An order, as the execution is started with it. */
export const Order = z.object({
  orderId: z.string().min(1),
  lines: z.array(z.object({ sku: z.string().min(1), quantity: z.number().int().positive() })).min(1),
  total: z.number().positive(),
});

/** What the payment service answers through the callback (JSON). */
export const Payment = z.object({ paymentId: z.string().min(1), amount: z.number().positive() });

/** The charge itself: the call to the payment provider, which may fail for a while. */
export type ChargePayment = (orderId: string, paymentId: string, amount: number) => Promise<void>;

/** What the workflow needs: the DynamoDB client and tables, and how long to wait for the payment. */
export interface OrderWorkflowOptions {
  readonly client: DynamoDBClient;
  readonly tables: OrderTables;
  /** How long the payment service has to answer (default 30 minutes); then the order is cancelled. */
  readonly paymentTimeoutSeconds?: number | undefined;
  /** The first retry's delay of a failing charge, doubled for each next one up to a minute (default 5). */
  readonly retryDelaySeconds?: number | undefined;
  /** The provider call (default: booked in the ledger table). Tests pass a failing one. */
  readonly chargePayment?: ChargePayment | undefined;
  /** Where the log and EMF lines go (default stdout). */
  readonly destination?: { write(line: string): void } | undefined;
}

/**
 * The order saga as a durable function: reserve the stock (a step), wait for the payment service's
 * callback, charge (a step, retried with backoff), ship (a step). A payment that does not come in
 * time, or a charge that keeps failing, is compensated: the stock is given back and the order
 * cancelled, with the reason.
 */
export function createOrderWorkflow(options: OrderWorkflowOptions) {
  const { client, tables, paymentTimeoutSeconds = 1800, retryDelaySeconds = 5, destination } = options;
  const chargeRetries = createRetryStrategy({
    maxAttempts: 4,
    initialDelay: { seconds: retryDelaySeconds },
    maxDelay: { minutes: 1 },
    backoffRate: 2,
    jitter: JitterStrategy.NONE,
  });
  return lambda()
    .use(logger({ persistentKeys: { service: 'order-workflow' }, ...(destination && { destination }) }))
    .use(metrics({ namespace: 'Orders', service: 'order-workflow', ...(destination && { destination }) }))
    .use(timeout({ marginMs: 1000 }))
    .use(parse(Order))
    .handle(
      durable(async (order, ctx) => {
        const store = orderStore(client, tables, ctx.signal);
        const charge =
          options.chargePayment ?? ((orderId, paymentId, amount) => store.charge(orderId, paymentId, amount));
        ctx.log.info({ orderId: order.orderId, total: order.total }, 'order workflow started');

        try {
          await ctx.step('reserve stock', () => store.reserve(order.orderId, order.lines), {
            retryStrategy: (error, attempts) => ({ shouldRetry: error.name !== 'OutOfStockError' && attempts < 3 }),
          });
        } catch (error) {
          // A step's error comes back as the SDK's StepError, the original's name on its cause.
          if (!(error instanceof StepError) || error.cause?.name !== 'OutOfStockError') throw error;
          ctx.log.warn({ orderId: order.orderId, reason: error.message }, 'order refused');
          ctx.metrics.add('OrdersRefused', 'Count', 1);
          return { orderId: order.orderId, status: 'refused' as const };
        }
        ctx.log.info({ orderId: order.orderId }, 'stock reserved');

        let payment: z.output<typeof Payment>;
        try {
          const answer = await ctx.waitForCallback(
            'payment',
            async (callbackId) => {
              await store.awaitPayment(order.orderId, callbackId);
              ctx.log.info({ orderId: order.orderId, callbackId }, 'waiting for the payment');
            },
            { timeout: { seconds: paymentTimeoutSeconds } },
          );
          payment = Payment.parse(JSON.parse(answer));
        } catch (error) {
          if (!(error instanceof CallbackError) && !(error instanceof z.ZodError) && !(error instanceof SyntaxError)) {
            throw error;
          }
          return compensate(error instanceof CallbackError ? error.errorType : 'payment-invalid');
        }

        try {
          await ctx.step(
            'charge',
            async (step) => {
              ctx.log.info({ orderId: order.orderId, attempt: step.attempt }, 'charging');
              await charge(order.orderId, payment.paymentId, payment.amount);
            },
            { retryStrategy: chargeRetries },
          );
        } catch (error) {
          if (!(error instanceof StepError)) throw error;
          return compensate('charge-failed');
        }
        ctx.metrics.add('OrderValue', 'Count', payment.amount);

        const shipmentId = await ctx.step('ship', () => store.ship(order.orderId));
        ctx.log.info({ orderId: order.orderId, shipmentId }, 'order shipped');
        ctx.metrics.add('OrdersShipped', 'Count', 1);
        return { orderId: order.orderId, status: 'shipped' as const, shipmentId };

        /** The saga's way back: the reserved units are returned and the order cancelled. */
        async function compensate(reason: string) {
          await ctx.step('release stock', () => store.release(order.orderId, order.lines, reason));
          ctx.log.warn({ orderId: order.orderId, reason }, 'order cancelled');
          ctx.metrics.add('OrdersCancelled', 'Count', 1);
          return { orderId: order.orderId, status: 'cancelled' as const, reason };
        }
      }),
    );
}
