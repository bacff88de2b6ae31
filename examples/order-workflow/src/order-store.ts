import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { LambdakitError } from '@lambdakit/core';

/** A line of an order: how many of which article. */
export interface OrderLine {
  readonly sku: string;
  readonly quantity: number;
}

/** Where the workflow keeps its state: stock per article, the orders, and the payment ledger. */
export interface OrderTables {
  /** Partition key `sku` (S); `available` (N) units and `reserved` (M): units held per order id. */
  readonly stock: string;
  /** Partition key `orderId` (S); the order's `status` and what each step recorded. */
  readonly orders: string;
  /** Partition key `orderId` (S): the payment provider's ledger, one charge per order. */
  readonly payments: string;
}

/** Not enough stock for a line: the order is refused, nothing stays reserved. */
export class OutOfStockError extends LambdakitError<'ORDER_OUT_OF_STOCK'> {
  constructor(readonly orderId: string) {
    super('ORDER_OUT_OF_STOCK', `order ${orderId}: not enough stock for every line`);
  }
}

/**
 * The workflow's writes. Each is idempotent, since a step may run again (a retry, or a sandbox
 * lost after the write and before the step's checkpoint): a write that finds its own effect
 * already there succeeds without repeating it. Every request is cut off by `signal`.
 */
export function orderStore(client: DynamoDBClient, tables: OrderTables, signal: AbortSignal) {
  const options = { abortSignal: signal };
  const conditionFailed = (error: unknown) => error instanceof ConditionalCheckFailedException;

  /** Takes a line's units for the order, marked on the article: true once they are held for it. */
  async function take(orderId: string, line: OrderLine): Promise<boolean> {
    try {
      await client.send(
        new UpdateItemCommand({
          TableName: tables.stock,
          Key: { sku: { S: line.sku } },
          UpdateExpression: 'SET available = available - :n, reserved.#order = :n',
          ConditionExpression: 'available >= :n AND attribute_not_exists(reserved.#order)',
          ExpressionAttributeNames: { '#order': orderId },
          ExpressionAttributeValues: { ':n': { N: String(line.quantity) } },
        }),
        options,
      );
      return true;
    } catch (error) {
      if (!conditionFailed(error)) throw error;
      const { Item } = await client.send(
        new GetItemCommand({ TableName: tables.stock, Key: { sku: { S: line.sku } }, ConsistentRead: true }),
        options,
      );
      return Item?.reserved?.M?.[orderId] !== undefined; // held by an earlier run of the step
    }
  }

  /** Gives a line's units back, once: the mark on the article says whether they are still held. */
  async function giveBack(orderId: string, line: OrderLine): Promise<void> {
    try {
      await client.send(
        new UpdateItemCommand({
          TableName: tables.stock,
          Key: { sku: { S: line.sku } },
          UpdateExpression: 'SET available = available + :n REMOVE reserved.#order',
          ConditionExpression: 'attribute_exists(reserved.#order)',
          ExpressionAttributeNames: { '#order': orderId },
          ExpressionAttributeValues: { ':n': { N: String(line.quantity) } },
        }),
        options,
      );
    } catch (error) {
      if (!conditionFailed(error)) throw error; // given back by an earlier run
    }
  }

  async function setStatus(orderId: string, status: string, extra: Record<string, string> = {}): Promise<void> {
    const names = Object.keys(extra);
    await client.send(
      new UpdateItemCommand({
        TableName: tables.orders,
        Key: { orderId: { S: orderId } },
        UpdateExpression: `SET #status = :status${names.map((_name, i) => `, #f${i} = :f${i}`).join('')}`,
        ConditionExpression: 'attribute_exists(orderId)',
        ExpressionAttributeNames: {
          '#status': 'status',
          ...Object.fromEntries(names.map((name, i) => [`#f${i}`, name])),
        },
        ExpressionAttributeValues: {
          ':status': { S: status },
          ...Object.fromEntries(names.map((name, i) => [`:f${i}`, { S: extra[name]! }])),
        },
      }),
      options,
    );
  }

  return {
    /**
     * Takes the units of every line, then records the order as reserved. When a line cannot be
     * covered, the lines taken so far are given back and the order is refused.
     */
    async reserve(orderId: string, lines: readonly OrderLine[]): Promise<void> {
      for (const [i, line] of lines.entries()) {
        if (await take(orderId, line)) continue;
        for (const taken of lines.slice(0, i)) await giveBack(orderId, taken);
        throw new OutOfStockError(orderId);
      }
      try {
        await client.send(
          new PutItemCommand({
            TableName: tables.orders,
            Item: { orderId: { S: orderId }, status: { S: 'reserved' }, lines: { S: JSON.stringify(lines) } },
            ConditionExpression: 'attribute_not_exists(orderId)',
          }),
          options,
        );
      } catch (error) {
        if (!conditionFailed(error)) throw error; // recorded by an earlier run
      }
    },

    /** Records where the payment service sends its answer: the durable callback's id. */
    awaitPayment: (orderId: string, callbackId: string) => setStatus(orderId, 'awaiting-payment', { callbackId }),

    /** Books the charge in the ledger, once per order, and marks the order charged. */
    async charge(orderId: string, paymentId: string, amount: number): Promise<void> {
      try {
        await client.send(
          new PutItemCommand({
            TableName: tables.payments,
            Item: { orderId: { S: orderId }, paymentId: { S: paymentId }, amount: { N: String(amount) } },
            ConditionExpression: 'attribute_not_exists(orderId)',
          }),
          options,
        );
      } catch (error) {
        if (!conditionFailed(error)) throw error; // booked by an earlier attempt
      }
      await setStatus(orderId, 'charged', { paymentId });
    },

    /** Marks the order shipped; returns its shipment id. */
    async ship(orderId: string): Promise<string> {
      const shipmentId = `ship-${orderId}`;
      await setStatus(orderId, 'shipped', { shipmentId });
      return shipmentId;
    },

    /** The saga's way back: the units are given back and the order is cancelled, with why. */
    async release(orderId: string, lines: readonly OrderLine[], reason: string): Promise<void> {
      for (const line of lines) await giveBack(orderId, line);
      await setStatus(orderId, 'cancelled', { reason });
    },

    /** The order as stored (strings and numbers), for the payment service and tests. */
    async get(orderId: string): Promise<Record<string, string> | undefined> {
      const { Item } = await client.send(
        new GetItemCommand({ TableName: tables.orders, Key: { orderId: { S: orderId } }, ConsistentRead: true }),
        options,
      );
      if (Item === undefined) return undefined;
      return Object.fromEntries(Object.entries(Item).map(([key, value]) => [key, value.S ?? value.N ?? '']));
    },
  };
}

/** The store's writes, as the workflow uses them. */
export type OrderStore = ReturnType<typeof orderStore>;
