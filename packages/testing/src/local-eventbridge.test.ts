import { EventBridgeClient, EventBridgeServiceException, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { EventBridgeEventSchema } from '@lambdakit/parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalEventBridge, startLocalEventBridge } from './local-eventbridge.js';

let bus: LocalEventBridge;
let client: EventBridgeClient;

beforeAll(async () => {
  bus = await startLocalEventBridge({ now: () => Date.UTC(2026, 11, 5, 9, 12, 30, 250) });
  client = new EventBridgeClient({ ...bus.clientConfig, maxAttempts: 1 });
});
afterAll(async () => {
  client.destroy();
  await bus.close();
});

describe('startLocalEventBridge() with the real EventBridge client', () => {
  it('puts events per bus, and hands them to a function as a rule would', async () => {
    const out = await client.send(
      new PutEventsCommand({
        Entries: [
          { Source: 'orders', DetailType: 'Order placed', Detail: JSON.stringify({ id: 1, 'lambdakit-depth': 2 }) },
          {
            Source: 'orders',
            DetailType: 'Order paid',
            Detail: '{"id":2}',
            EventBusName: 'arn:aws:events:us-east-1:123456789012:event-bus/payments',
            Resources: ['arn:aws:s3:::bucket'],
            Time: new Date(Date.UTC(2026, 0, 2, 3, 4, 5)),
          },
        ],
      }),
    );
    expect(out.FailedEntryCount).toBe(0);
    const [placed] = bus.events();
    const [paid] = bus.events('payments');
    expect(placed).toMatchObject({
      eventId: out.Entries?.[0]?.EventId,
      source: 'orders',
      detail: { id: 1, 'lambdakit-depth': 2 },
    });
    expect(paid).toMatchObject({
      detailType: 'Order paid',
      resources: ['arn:aws:s3:::bucket'],
      time: Date.UTC(2026, 0, 2, 3, 4, 5),
    });
    const event = bus.lambdaEvent(placed!);
    expect(EventBridgeEventSchema.parse(event)).toMatchObject({ 'detail-type': 'Order placed' });
    expect(event).toMatchObject({
      version: '0',
      account: '123456789012',
      region: 'us-east-1',
      time: '2026-12-05T09:12:30Z',
    });
  });

  it('fails bad entries one by one, as EventBridge does', async () => {
    const before = bus.events().length;
    const out = await client.send(
      new PutEventsCommand({
        Entries: [
          { Source: 'orders', DetailType: 'ok', Detail: '{}' },
          { Source: 'orders', DetailType: 'no detail' },
          { Source: 'orders', DetailType: 'array', Detail: '[1]' },
          { Source: 'orders', DetailType: 'not json', Detail: '{x' },
          { Source: 'aws.s3', DetailType: 'spoof', Detail: '{}' },
          { Source: 'orders', DetailType: 'big', Detail: JSON.stringify({ x: 'y'.repeat(256 * 1024) }) },
        ],
      }),
    );
    expect(out.FailedEntryCount).toBe(5);
    expect(out.Entries?.map((e) => e.ErrorCode ?? 'ok')).toEqual([
      'ok',
      'InvalidArgument',
      'MalformedDetail',
      'MalformedDetail',
      'NotAuthorizedForSourceException',
      'InvalidArgument',
    ]);
    expect(bus.events().length).toBe(before + 1);
  });

  it('refuses an empty or oversized request, and injects faults', async () => {
    const error = await client.send(new PutEventsCommand({ Entries: [] })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EventBridgeServiceException);
    expect((error as Error).name).toBe('ValidationException');
    const eleven = Array.from({ length: 11 }, () => ({ Source: 's', DetailType: 'd', Detail: '{}' }));
    await expect(client.send(new PutEventsCommand({ Entries: eleven }))).rejects.toThrow(/length between 1 and 10/);
    bus.throttle(1);
    await expect(client.send(new PutEventsCommand({ Entries: eleven.slice(0, 1) }))).rejects.toMatchObject({
      name: 'ThrottlingException',
    });
    await expect(startLocalEventBridge({ port: -1 })).rejects.toThrow(/startLocalEventBridge/);
  });
});
