import { randomUUID } from 'node:crypto';
import { checkOption, checkOptions, isAccountId, isFunction, isPort, isText } from './check-option.js';
import { JsonEndpoint, type LocalEndpoint, type LocalRequest } from './json-endpoint.js';
import { ServiceError } from './service-error.js';

/** The EventBridge operations the local endpoint serves. */
export type LocalEventBridgeOperation = 'PutEvents';

/** One request the local EventBridge received. */
export type LocalEventBridgeRequest = LocalRequest;

/** One event the local EventBridge accepted. */
export interface LocalEventBridgeEvent {
  readonly eventId: string;
  /** The bus's name (from `EventBusName`, a name or an ARN; `default` without one). */
  readonly eventBusName: string;
  readonly source: string;
  readonly detailType: string;
  /** `Detail`, parsed. */
  readonly detail: Record<string, unknown>;
  readonly resources: readonly string[];
  /** `Time`, else when it was put, epoch milliseconds. */
  readonly time: number;
  readonly traceHeader: string | undefined;
}

/** The event Lambda receives from a rule that matched an event. */
export interface LocalEventBridgeLambdaEvent {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown>;
}

/** Options of `startLocalEventBridge()`. */
export interface StartLocalEventBridgeOptions {
  /** Port on 127.0.0.1 (default 0: a random free port). */
  port?: number | undefined;
  /** Region in events and the client configuration (default `us-east-1`). */
  region?: string | undefined;
  /** Account id in events (default `123456789012`). */
  accountId?: string | undefined;
  /** The clock of event times (default `Date.now`). */
  now?: (() => number) | undefined;
}

/** A running local EventBridge endpoint; pass {@link LocalEventBridge.clientConfig} to `new EventBridgeClient(...)`. */
export interface LocalEventBridge extends LocalEndpoint<LocalEventBridgeOperation> {
  /** Every event put on bus `name` (default `default`), oldest first. */
  events(bus?: string): readonly LocalEventBridgeEvent[];
  /** The event Lambda receives when a rule matching `event` targets it. */
  lambdaEvent(event: LocalEventBridgeEvent): LocalEventBridgeLambdaEvent;
}

// EventBridge's limit on one entry (and on a whole PutEvents request).
const MAX_ENTRY_BYTES = 256 * 1024;
const MAX_ENTRIES = 10;

type EntryResult = { EventId: string } | { ErrorCode: string; ErrorMessage: string };

const invalidArgument = (parameter: string, reason: string): EntryResult => ({
  ErrorCode: 'InvalidArgument',
  ErrorMessage: `Parameter ${parameter} is not valid. Reason: ${reason}`,
});

function entrySize(entry: Record<string, unknown>): number {
  let size = 0;
  for (const key of ['Source', 'DetailType', 'Detail'] as const) {
    if (typeof entry[key] === 'string') size += Buffer.byteLength(entry[key] as string);
  }
  if (Array.isArray(entry.Resources)) for (const r of entry.Resources) size += Buffer.byteLength(String(r));
  return size + (entry.Time === undefined ? 0 : 14);
}

class RunningLocalEventBridge extends JsonEndpoint<LocalEventBridgeOperation> implements LocalEventBridge {
  private readonly buses = new Map<string, LocalEventBridgeEvent[]>();

  constructor(
    server: ConstructorParameters<typeof JsonEndpoint>[0],
    region: string,
    private readonly accountId: string,
    private readonly now: () => number,
  ) {
    super(server, region, {
      owner: 'LocalEventBridge',
      targetPrefix: 'AWSEvents.',
      internalErrorType: 'InternalException',
      operations: { PutEvents: (input) => this.putEvents(input) },
    });
  }

  events(bus = 'default'): readonly LocalEventBridgeEvent[] {
    return [...(this.buses.get(bus) ?? [])];
  }

  lambdaEvent(event: LocalEventBridgeEvent): LocalEventBridgeLambdaEvent {
    return {
      version: '0',
      id: event.eventId,
      'detail-type': event.detailType,
      source: event.source,
      account: this.accountId,
      time: new Date(event.time).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      region: this.region,
      resources: [...event.resources],
      detail: structuredClone(event.detail),
    };
  }

  private putEvents(input: Record<string, unknown>) {
    const entries = input.Entries;
    if (!Array.isArray(entries) || entries.length === 0 || entries.length > MAX_ENTRIES) {
      throw new ServiceError(
        'ValidationException',
        `1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length between 1 and ${MAX_ENTRIES}`,
      );
    }
    const results = entries.map((entry: unknown) => this.putOne((entry ?? {}) as Record<string, unknown>));
    return { FailedEntryCount: results.filter((r) => 'ErrorCode' in r).length, Entries: results };
  }

  private putOne(entry: Record<string, unknown>): EntryResult {
    const { Source, DetailType, Detail } = entry;
    if (typeof Source !== 'string' || Source === '') return invalidArgument('Source', 'Source is a required argument.');
    if (typeof DetailType !== 'string' || DetailType === '')
      return invalidArgument('DetailType', 'DetailType is a required argument.');
    if (typeof Detail !== 'string' || Detail === '') return invalidArgument('Detail', 'Detail is a required argument.');
    if (Source.startsWith('aws.')) {
      return { ErrorCode: 'NotAuthorizedForSourceException', ErrorMessage: 'Not authorized for the source.' };
    }
    if (entrySize(entry) > MAX_ENTRY_BYTES) return invalidArgument('Entry', 'The entry is larger than 256 KB.');
    let detail: unknown;
    try {
      detail = JSON.parse(Detail);
    } catch {
      return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
    }
    if (detail === null || typeof detail !== 'object' || Array.isArray(detail)) {
      return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
    }
    const busParameter =
      typeof entry.EventBusName === 'string' && entry.EventBusName !== '' ? entry.EventBusName : 'default';
    const bus = busParameter.slice(busParameter.lastIndexOf('/') + 1);
    const time = typeof entry.Time === 'number' ? entry.Time * 1000 : this.now();
    const event: LocalEventBridgeEvent = {
      eventId: randomUUID(),
      eventBusName: bus,
      source: Source,
      detailType: DetailType,
      detail: detail as Record<string, unknown>,
      resources: Array.isArray(entry.Resources) ? entry.Resources.map(String) : [],
      time,
      traceHeader: typeof entry.TraceHeader === 'string' ? entry.TraceHeader : undefined,
    };
    const list = this.buses.get(bus) ?? [];
    list.push(event);
    this.buses.set(bus, list);
    return { EventId: event.eventId };
  }
}

/**
 * Starts an HTTP server on 127.0.0.1 that speaks EventBridge's JSON 1.1 protocol (`X-Amz-Target:
 * AWSEvents.PutEvents`), so the real `@aws-sdk/client-eventbridge` puts events on it: entries
 * checked one by one as EventBridge checks them (a bad entry fails alone, in `Entries`), kept per
 * bus, faults. Rules are not emulated: a test hands an event to its function with
 * {@link LocalEventBridge.lambdaEvent}.
 */
export function startLocalEventBridge(options: StartLocalEventBridgeOptions = {}): Promise<LocalEventBridge> {
  return startLocalEventBridgeFor('startLocalEventBridge', options);
}

/** @internal {@link startLocalEventBridge}, its mistakes named after `door`. */
export async function startLocalEventBridgeFor(
  door: string,
  options: StartLocalEventBridgeOptions,
): Promise<LocalEventBridge> {
  checkOptions(door, options);
  checkOption(door, 'port', options.port, isPort);
  checkOption(door, 'region', options.region, isText);
  checkOption(door, 'accountId', options.accountId, isAccountId);
  checkOption(door, 'now', options.now, isFunction);
  const region = options.region ?? 'us-east-1';
  return new RunningLocalEventBridge(
    await JsonEndpoint.listen(options.port),
    region,
    options.accountId ?? '123456789012',
    options.now ?? Date.now,
  );
}
