import { type AttributeValue, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { conditional, getItem, http, itemKey, num, numberOf, type StateTable } from './dynamo-db-state-store.js';
import { type BreakerRecord, CLOSED, type ProbeAdmission, type StoreCallOptions } from './state-store.js';

const NAMES = {
  '#failures': 'failures',
  '#windowStart': 'windowStart',
  '#openedUntil': 'openedUntil',
  '#probes': 'probes',
  '#probesUntil': 'probesUntil',
};

const breakerId = (name: string) => `breaker#${name}`;

/** Only the names an expression uses: DynamoDB refuses unused ones. */
function names(...used: Array<keyof typeof NAMES>): Record<string, string> {
  return Object.fromEntries(used.map((key) => [key, NAMES[key]]));
}

function toRecord(item: Record<string, AttributeValue> | undefined): BreakerRecord {
  if (item === undefined) return CLOSED;
  return {
    failures: numberOf(item, 'failures') ?? 0,
    windowStart: numberOf(item, 'windowStart') ?? 0,
    openedUntil: numberOf(item, 'openedUntil'),
    probes: numberOf(item, 'probes') ?? 0,
    probesUntil: numberOf(item, 'probesUntil'),
  };
}

export async function readBreaker(
  table: StateTable,
  name: string,
  call: StoreCallOptions | undefined,
): Promise<BreakerRecord | undefined> {
  const item = await getItem(table, breakerId(name), call);
  return item === undefined ? undefined : toRecord(item);
}

/**
 * One failure: added to the current window if it began after `nowMs − windowMs`, else a new
 * window starts at 1. Two conditional requests at most per try; a window restarted by another
 * sandbox between them sends this one back to the first.
 */
export async function recordFailure(
  table: StateTable,
  name: string,
  nowMs: number,
  windowMs: number,
  call: StoreCallOptions | undefined,
): Promise<BreakerRecord> {
  const floor = num(nowMs - windowMs);
  const client = table.client();
  for (let attempt = 0; ; attempt++) {
    const added = await conditional(
      client.send(
        new UpdateItemCommand({
          TableName: table.tableName,
          Key: itemKey(breakerId(name)),
          UpdateExpression: 'ADD #failures :one',
          ConditionExpression: '#windowStart > :floor',
          ExpressionAttributeNames: names('#failures', '#windowStart'),
          ExpressionAttributeValues: { ':one': num(1), ':floor': floor },
          ReturnValues: 'ALL_NEW',
        }),
        http(call),
      ),
    );
    if (added.ok) return toRecord(added.output.Attributes);
    const restarted = await conditional(
      client.send(
        new UpdateItemCommand({
          TableName: table.tableName,
          Key: itemKey(breakerId(name)),
          UpdateExpression: 'SET #failures = :one, #windowStart = :now',
          ConditionExpression: 'attribute_not_exists(#windowStart) OR #windowStart <= :floor',
          ExpressionAttributeNames: names('#failures', '#windowStart'),
          ExpressionAttributeValues: { ':one': num(1), ':now': num(nowMs), ':floor': floor },
          ReturnValues: 'ALL_NEW',
        }),
        http(call),
      ),
    );
    if (restarted.ok) return toRecord(restarted.output.Attributes);
    // Both conditions cannot fail twice in a row unless windows keep restarting under us.
    if (attempt === 2) return toRecord(restarted.item ?? (await getItem(table, breakerId(name), call)));
  }
}

/** `#openedUntil` where the caller saw it: absent (closed) or the period `seen`. */
function seenCondition(seen: number | undefined): { expression: string; values: Record<string, AttributeValue> } {
  return seen === undefined
    ? { expression: 'attribute_not_exists(#openedUntil)', values: {} }
    : { expression: '#openedUntil = :seen', values: { ':seen': num(seen) } };
}

export async function trip(
  table: StateTable,
  name: string,
  seen: number | undefined,
  openedUntil: number,
  call: StoreCallOptions | undefined,
): Promise<boolean> {
  const condition = seenCondition(seen);
  const tripped = await conditional(
    table.client().send(
      new UpdateItemCommand({
        TableName: table.tableName,
        Key: itemKey(breakerId(name)),
        UpdateExpression: 'SET #openedUntil = :until, #probes = :zero REMOVE #probesUntil',
        ConditionExpression: condition.expression,
        ExpressionAttributeNames: names('#openedUntil', '#probes', '#probesUntil'),
        ExpressionAttributeValues: { ...condition.values, ':until': num(openedUntil), ':zero': num(0) },
      }),
      http(call),
    ),
  );
  return tripped.ok;
}

export async function admitProbe(
  table: StateTable,
  name: string,
  openedUntil: number,
  maxProbes: number,
  probeUntil: number,
  nowMs: number,
  call: StoreCallOptions | undefined,
): Promise<ProbeAdmission> {
  const update = (expression: string, condition: string, values: Record<string, AttributeValue>) =>
    conditional(
      table.client().send(
        new UpdateItemCommand({
          TableName: table.tableName,
          Key: itemKey(breakerId(name)),
          UpdateExpression: expression,
          ConditionExpression: condition,
          ExpressionAttributeNames: names('#openedUntil', '#probes', '#probesUntil'),
          ExpressionAttributeValues: { ':seen': num(openedUntil), ':until': num(probeUntil), ...values },
          ReturnValues: 'ALL_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
        http(call),
      ),
    );
  const added = await update(
    'ADD #probes :one SET #probesUntil = :until',
    '#openedUntil = :seen AND #openedUntil <= :now AND (attribute_not_exists(#probes) OR #probes < :max)',
    { ':one': num(1), ':now': num(nowMs), ':max': num(maxProbes) },
  );
  if (added.ok) return { admitted: true, record: toRecord(added.output.Attributes) };
  const seen = toRecord(added.item ?? (await getItem(table, breakerId(name), call)));
  const stale = seen.probesUntil !== undefined && seen.probesUntil < nowMs;
  if (seen.openedUntil !== openedUntil || openedUntil > nowMs || !stale) return { admitted: false, record: seen };
  // Every admitted probe's invocation has ended without a verdict (its sandbox crashed or froze):
  // a new round of probes begins, so a lost probe cannot hold the breaker half-open for ever.
  const renewed = await update(
    'SET #probes = :one, #probesUntil = :until',
    '#openedUntil = :seen AND #probesUntil = :stale',
    {
      ':one': num(1),
      ':stale': num(seen.probesUntil ?? 0),
    },
  );
  if (renewed.ok) return { admitted: true, record: toRecord(renewed.output.Attributes) };
  return { admitted: false, record: toRecord(renewed.item ?? (await getItem(table, breakerId(name), call))) };
}

export async function close(
  table: StateTable,
  name: string,
  openedUntil: number,
  call: StoreCallOptions | undefined,
): Promise<boolean> {
  const closed = await conditional(
    table.client().send(
      new UpdateItemCommand({
        TableName: table.tableName,
        Key: itemKey(breakerId(name)),
        UpdateExpression: 'REMOVE #openedUntil, #probes, #probesUntil, #failures, #windowStart',
        ConditionExpression: '#openedUntil = :seen',
        ExpressionAttributeNames: names('#openedUntil', '#probes', '#probesUntil', '#failures', '#windowStart'),
        ExpressionAttributeValues: { ':seen': num(openedUntil) },
      }),
      http(call),
    ),
  );
  return closed.ok;
}
