import { type AttributeValue, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import {
  conditional,
  getItem,
  http,
  itemKey,
  num,
  numberOf,
  removeEntries,
  removeEntry,
  type StateTable,
} from './dynamo-db-state-store.js';
import { type BreakerRecord, CLOSED, type ProbeAdmission, type StoreCallOptions } from './state-store.js';

const NAMES = {
  '#failures': 'failures',
  '#windowStart': 'windowStart',
  '#openedUntil': 'openedUntil',
  '#probes': 'probes',
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
    probes: Object.keys(item.probes?.M ?? {}).length,
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
        // A new open period: its probes (a map of probe id → deadline) start empty.
        UpdateExpression: 'SET #openedUntil = :until, #probes = :none',
        ConditionExpression: condition.expression,
        ExpressionAttributeNames: names('#openedUntil', '#probes'),
        ExpressionAttributeValues: { ...condition.values, ':until': num(openedUntil), ':none': { M: {} } },
      }),
      http(call),
    ),
  );
  return tripped.ok;
}

/** A probe asking to be admitted: see {@link StateStore.admitProbe}. */
interface ProbeRequest {
  readonly openedUntil: number;
  readonly maxProbes: number;
  readonly probeId: string;
  readonly probeUntil: number;
  readonly nowMs: number;
}

/**
 * One conditional SET of the probe's deadline in the period's probe map while it holds fewer than
 * `maxProbes` entries; when full, entries whose deadline passed are purged and the SET tried again.
 */
export async function admitProbe(
  table: StateTable,
  name: string,
  probe: ProbeRequest,
  call: StoreCallOptions | undefined,
): Promise<ProbeAdmission> {
  const { openedUntil, maxProbes, probeId, probeUntil, nowMs } = probe;
  let seen = CLOSED;
  for (let attempt = 0; attempt < 3; attempt++) {
    const added = await conditional(
      table.client().send(
        new UpdateItemCommand({
          TableName: table.tableName,
          Key: itemKey(breakerId(name)),
          UpdateExpression: 'SET #probes.#probe = :until',
          ConditionExpression:
            '#openedUntil = :seen AND #openedUntil <= :now AND attribute_exists(#probes) AND (attribute_exists(#probes.#probe) OR size(#probes) < :max)',
          ExpressionAttributeNames: { ...names('#openedUntil', '#probes'), '#probe': probeId },
          ExpressionAttributeValues: {
            ':seen': num(openedUntil),
            ':now': num(nowMs),
            ':max': num(maxProbes),
            ':until': num(probeUntil),
          },
          ReturnValues: 'ALL_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
        http(call),
      ),
    );
    if (added.ok) return { admitted: true, record: toRecord(added.output.Attributes) };
    const item = added.item ?? (await getItem(table, breakerId(name), call));
    seen = toRecord(item);
    if (seen.openedUntil !== openedUntil || openedUntil > nowMs) break;
    // Probes whose invocation ended without a verdict (a crashed or frozen sandbox) no longer count.
    const lapsed = Object.entries(item?.probes?.M ?? {}).filter(([, value]) => Number(value.N) < nowMs);
    if (lapsed.length === 0) break;
    await removeEntries(table, breakerId(name), 'probes', lapsed.slice(0, 25), call);
  }
  return { admitted: false, record: seen };
}

export async function releaseProbe(
  table: StateTable,
  name: string,
  openedUntil: number,
  probeId: string,
  call: StoreCallOptions | undefined,
): Promise<void> {
  // Only in its own open period: once closed or opened again, its probes went with it.
  await removeEntry(table, breakerId(name), 'probes', probeId, call, {
    expression: '#openedUntil = :seen',
    names: names('#openedUntil'),
    values: { ':seen': num(openedUntil) },
  });
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
        UpdateExpression: 'REMOVE #openedUntil, #probes, #failures, #windowStart',
        ConditionExpression: '#openedUntil = :seen',
        ExpressionAttributeNames: names('#openedUntil', '#probes', '#failures', '#windowStart'),
        ExpressionAttributeValues: { ':seen': num(openedUntil) },
      }),
      http(call),
    ),
  );
  return closed.ok;
}
