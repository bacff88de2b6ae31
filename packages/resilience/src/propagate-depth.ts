import { emitWarning } from '@lambdakit/core';
import { callDepth, DEPTH_KEY } from './call-depth.js';

/** The part of an AWS SDK v3 client this uses: its middleware stack. */
export interface ClientWithMiddlewareStack {
  middlewareStack: {
    add(
      middleware: (next: (args: any) => Promise<any>, context: any) => (args: any) => Promise<any>,
      options: { step: 'initialize'; name: string; override: boolean },
    ): void;
  };
}

// SQS and SNS deliver at most 10 message attributes (to SQS, and SNS to Lambda and SQS).
const MAX_ATTRIBUTES = 10;
// The Invoke API's limit on ClientContext, base64 included.
const MAX_CLIENT_CONTEXT = 3583;

type Input = Record<string, unknown>;
type Entries = readonly Input[] | undefined;

const warned = new Set<string>();

function warnOnce(key: string, message: string): void {
  if (warned.has(key)) return;
  warned.add(key);
  emitWarning('LAMBDAKIT_RESILIENCE_DEPTH_NOT_CARRIED', message);
}

/** `attributes` with the depth added, or unchanged (with a warning) when there is no room. */
function withAttribute(attributes: unknown, depth: number, where: string): unknown {
  const current = (attributes ?? {}) as Record<string, unknown>;
  if (!Object.hasOwn(current, DEPTH_KEY) && Object.keys(current).length >= MAX_ATTRIBUTES) {
    warnOnce(
      `${where}:attributes`,
      `propagateDepth: a ${where} message already has ${MAX_ATTRIBUTES} message attributes, the most SQS and SNS deliver; it is sent without ${DEPTH_KEY}, so recursionGuard() downstream sees depth 0`,
    );
    return attributes;
  }
  return { ...current, [DEPTH_KEY]: { DataType: 'Number', StringValue: String(depth) } };
}

/**
 * `detail` with the depth in it. Written into the text, not re-serialised: a detail holding numbers
 * beyond 2^53 or `1.0` reaches EventBridge as the caller wrote it. Only a detail that already has
 * the key (an event relayed on) is parsed and written again, to replace it.
 */
function withDetail(detail: unknown, depth: number): unknown {
  if (typeof detail !== 'string') return detail;
  let parsed: unknown;
  try {
    parsed = JSON.parse(detail);
  } catch {
    return detail; // EventBridge refuses it itself, with its own message
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return detail;
  if (Object.hasOwn(parsed, DEPTH_KEY)) return JSON.stringify({ ...parsed, [DEPTH_KEY]: depth });
  const open = detail.indexOf('{');
  const empty = Object.keys(parsed).length === 0;
  return `${detail.slice(0, open + 1)}${JSON.stringify(DEPTH_KEY)}:${depth}${empty ? '' : ','}${detail.slice(open + 1)}`;
}

function withClientContext(encoded: unknown, depth: number): unknown {
  let context: Record<string, unknown> = {};
  if (typeof encoded === 'string' && encoded !== '') {
    try {
      const parsed: unknown = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8'));
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return encoded;
      context = parsed as Record<string, unknown>;
    } catch {
      return encoded; // Lambda refuses it itself
    }
  }
  const custom = context.custom !== null && typeof context.custom === 'object' ? context.custom : {};
  const next = Buffer.from(JSON.stringify({ ...context, custom: { ...custom, [DEPTH_KEY]: String(depth) } })).toString(
    'base64',
  );
  if (next.length <= MAX_CLIENT_CONTEXT) return next;
  warnOnce(
    'invoke:size',
    `propagateDepth: the Invoke's ClientContext would pass ${MAX_CLIENT_CONTEXT} bytes with ${DEPTH_KEY}; sent without it`,
  );
  return encoded;
}

/** Each entry with `add` applied; what is not an object (the SDK skips it) passes through as it is. */
function mapEntries(entries: Entries, add: (entry: Input) => Input): Entries {
  if (!Array.isArray(entries)) return entries;
  return entries.map((entry) => (entry !== null && typeof entry === 'object' ? add(entry) : entry));
}

/** The command's input with the outgoing depth added, or `undefined` for a command that carries none. */
function carry(command: string, input: Input, depth: number): Input | undefined {
  switch (command) {
    case 'SendMessageCommand':
      return { ...input, MessageAttributes: withAttribute(input.MessageAttributes, depth, 'SQS') };
    case 'PublishCommand':
      return { ...input, MessageAttributes: withAttribute(input.MessageAttributes, depth, 'SNS') };
    case 'SendMessageBatchCommand':
      return {
        ...input,
        Entries: mapEntries(input.Entries as Entries, (e) => ({
          ...e,
          MessageAttributes: withAttribute(e.MessageAttributes, depth, 'SQS'),
        })),
      };
    case 'PublishBatchCommand':
      return {
        ...input,
        PublishBatchRequestEntries: mapEntries(input.PublishBatchRequestEntries as Entries, (e) => ({
          ...e,
          MessageAttributes: withAttribute(e.MessageAttributes, depth, 'SNS'),
        })),
      };
    case 'PutEventsCommand':
      return {
        ...input,
        Entries: mapEntries(input.Entries as Entries, (e) => ({ ...e, Detail: withDetail(e.Detail, depth) })),
      };
    case 'InvokeCommand':
    case 'InvokeWithResponseStreamCommand':
      if (input.InvocationType === 'Event') {
        warnOnce(
          'invoke:event',
          `propagateDepth: an asynchronous Invoke (InvocationType Event) cannot carry ${DEPTH_KEY}: Lambda passes ClientContext to synchronous invocations only; send through SQS, SNS or EventBridge, or rely on Lambda's recursive loop detection`,
        );
        return undefined;
      }
      return { ...input, ClientContext: withClientContext(input.ClientContext, depth) };
    default:
      return undefined;
  }
}

/**
 * Makes `client` (an SQS, SNS, EventBridge or Lambda client of AWS SDK v3) carry the call depth on
 * every message it sends from an invocation that `recursionGuard()` admitted: one more than the
 * invocation's own, as the `lambdakit-depth` message attribute (`SendMessage`, `SendMessageBatch`,
 * `Publish`, `PublishBatch`), a `detail` key (`PutEvents`) or a client context `custom` key (a
 * synchronous `Invoke`). No call site changes; the input objects given to commands are not
 * modified. Outside a guarded invocation nothing is added. Returns `client`.
 */
export function propagateDepth<Client extends ClientWithMiddlewareStack>(client: Client): Client {
  if (typeof client?.middlewareStack?.add !== 'function') {
    throw new TypeError('propagateDepth(client): expected an AWS SDK v3 client (one with a middlewareStack)');
  }
  client.middlewareStack.add(
    (next, context: { commandName?: string }) => (args: { input: Input }) => {
      const depth = callDepth();
      if (depth === undefined || typeof context.commandName !== 'string') return next(args);
      const input = carry(context.commandName, args.input, depth + 1);
      return next(input === undefined ? args : { ...args, input });
    },
    { step: 'initialize', name: 'lambdakitPropagateDepth', override: true },
  );
  return client;
}
