import { DEPTH_KEY, parseDepth } from './call-depth.js';

type Fields = Record<string, unknown>;

function fields(value: unknown): Fields | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Fields) : undefined;
}

/** @internal The larger of two depths, either of which may be absent. */
export function larger(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  return b === undefined || a >= b ? a : b;
}

/**
 * The count of Lambda's recursive loop detection in an X-Ray trace header: the largest count of its
 * `Lineage=<hash>:<count>` entries (several are joined by `|`), or `undefined` without one.
 */
export function lineageCount(header: unknown): number | undefined {
  if (typeof header !== 'string') return undefined;
  const start = header.indexOf('Lineage=');
  if (start === -1) return undefined;
  const end = header.indexOf(';', start);
  const value = header.slice(start + 'Lineage='.length, end === -1 ? undefined : end);
  let count: number | undefined;
  for (const entry of value.split('|')) count = larger(count, parseDepth(entry.slice(entry.lastIndexOf(':') + 1)));
  return count;
}

/** The depth an SNS notification's or an SQS message's attributes carry (`Value` / `stringValue`). */
function attributeDepth(attributes: unknown, valueKey: 'Value' | 'stringValue'): number | undefined {
  return parseDepth(fields(fields(attributes)?.[DEPTH_KEY])?.[valueKey]);
}

/**
 * The depth inside an SQS body that is another service's envelope: an SNS notification delivered
 * without raw message delivery (its attributes), or an EventBridge event (its detail). A body that
 * does not mention the key is not parsed.
 */
function bodyDepth(body: unknown): number | undefined {
  if (typeof body !== 'string' || !body.includes(DEPTH_KEY)) return undefined;
  let parsed: Fields | undefined;
  try {
    parsed = fields(JSON.parse(body));
  } catch {
    return undefined;
  }
  if (parsed === undefined) return undefined;
  if (parsed.Type === 'Notification') return attributeDepth(parsed.MessageAttributes, 'Value');
  return 'detail-type' in parsed ? parseDepth(fields(parsed.detail)?.[DEPTH_KEY]) : undefined;
}

/** The depth one record of a batch carries: SQS (attributes, trace header lineage, envelope) or SNS. */
export function recordDepth(record: unknown): number | undefined {
  const r = fields(record);
  if (r === undefined) return undefined;
  if (r.eventSource === 'aws:sqs') {
    const own = attributeDepth(r.messageAttributes, 'stringValue') ?? bodyDepth(r.body);
    return larger(own, lineageCount(fields(r.attributes)?.AWSTraceHeader));
  }
  if (r.EventSource === 'aws:sns') return attributeDepth(fields(r.Sns)?.MessageAttributes, 'Value');
  return undefined;
}

/**
 * The depth of an event that is not a batch of records: an EventBridge event's detail, or the
 * client context of a synchronous Invoke (`custom`, or `Custom` as the `aws-lambda` types name
 * it), the larger of them.
 */
export function eventDepth(event: unknown, clientContext: unknown): number | undefined {
  const e = fields(event);
  const detail = e !== undefined && 'detail-type' in e ? parseDepth(fields(e.detail)?.[DEPTH_KEY]) : undefined;
  const client = fields(clientContext);
  const custom = fields(client?.custom) ?? fields(client?.Custom);
  return larger(detail, parseDepth(custom?.[DEPTH_KEY]));
}
