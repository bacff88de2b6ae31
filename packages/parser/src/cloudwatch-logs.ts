import * as z from 'zod';
import { awsObject } from './aws-object.js';
import { DecodeFailure, decodeBase64, gunzip, parseJson } from './decode.js';
import { tagSource } from './event-source.js';
import { decodeOr, jsonText } from './json.js';
import { defaultLimits, type ParseLimits, type PayloadOptions, resolveLimits } from './limits.js';

const logEvent = <M extends z.ZodType>(message: M) =>
  awsObject({
    id: z.string(),
    timestamp: z.number(),
    message,
    // Only for log groups with a field-extracting filter pattern.
    extractedFields: z.record(z.string(), z.string()).optional(),
  });

const logsData = <M extends z.ZodType>(message: M) =>
  awsObject({
    // CONTROL_MESSAGE is CloudWatch Logs checking the destination is reachable: one log event of its own text.
    messageType: z.enum(['DATA_MESSAGE', 'CONTROL_MESSAGE']),
    owner: z.string(),
    logGroup: z.string(),
    logStream: z.string(),
    subscriptionFilters: z.array(z.string()),
    logEvents: z.array(logEvent(message)),
    policyLevel: z.string().optional(),
  });

/** The decoded `awslogs.data` of a CloudWatch Logs subscription event, messages as text. */
export const CloudWatchLogsDataSchema = logsData(z.string());

/** The decoded `awslogs.data` of a CloudWatch Logs subscription event. */
export type CloudWatchLogsData = z.output<typeof CloudWatchLogsDataSchema>;

/**
 * base64 → gunzip (bounded by `maxDecompressedBytes`) → JSON, guarded by the same limits as a
 * body, with at most `maxLogEvents` log events.
 */
function decodeLogsData(data: string, limits: Readonly<ParseLimits>): unknown {
  const compressed = decodeBase64(data, limits.maxBodyBytes);
  const text = gunzip(compressed, limits.maxDecompressedBytes).toString('utf8');
  const value = parseJson(text, { ...limits, maxBodyBytes: limits.maxDecompressedBytes });
  const events = (value as { logEvents?: unknown } | null)?.logEvents;
  if (Array.isArray(events) && events.length > limits.maxLogEvents) {
    throw new DecodeFailure(
      'too_many',
      `Decoded data holds ${events.length} log events, more than the ${limits.maxLogEvents}-event limit`,
    );
  }
  return value;
}

/** The decoded data with no log events if it is a CONTROL_MESSAGE, else as it is. */
function withoutControlEvents(data: unknown): unknown {
  if (data === null || typeof data !== 'object') return data;
  return (data as { messageType?: unknown }).messageType === 'CONTROL_MESSAGE' ? { ...data, logEvents: [] } : data;
}

const decoded = <S extends z.ZodType>(schema: S, limits: Readonly<ParseLimits>, dropControlEvents = false) =>
  z
    .string()
    .transform((data, ctx) =>
      decodeOr(ctx, () => {
        const value = decodeLogsData(data, limits);
        return dropControlEvents ? withoutControlEvents(value) : value;
      }),
    )
    .pipe(schema);

const decodedWithDefaults = decoded(CloudWatchLogsDataSchema, defaultLimits);

// The registry schema keeps `data` as sent but proves it decodes: the check runs the full decode.
const checkedData = z.string().check((ctx) => {
  const result = decodedWithDefaults.safeParse(ctx.value);
  if (result.success) return;
  for (const issue of result.error.issues) {
    const params = issue.code === 'custom' ? issue.params : undefined;
    ctx.issues.push({ code: 'custom', input: undefined, path: issue.path, message: issue.message, params });
  }
});

/** The CloudWatch Logs subscription event; `awslogs.data` must be base64 of gzip of a log message. */
export const CloudWatchLogsEventSchema = tagSource(awsObject({ awslogs: awsObject({ data: checkedData }) }), {
  source: 'cloudwatch-logs',
  http: false,
});

/** A CloudWatch Logs subscription event as Lambda receives it (data still encoded). */
export type CloudWatchLogsEvent = z.output<typeof CloudWatchLogsEventSchema>;

/**
 * The CloudWatch Logs event with `awslogs.data` decoded (base64 → gunzip → JSON) into
 * {@link CloudWatchLogsData}; with `Message`, each log event's `message` is parsed as JSON and
 * validated by it (a `CONTROL_MESSAGE` then has no log events), otherwise messages stay text.
 */
export function cloudwatchLogs<Message extends z.ZodType = z.ZodString>(Message?: Message, options?: PayloadOptions) {
  const limits = resolveLimits('cloudwatchLogs', options);
  const message = Message === undefined ? z.string() : jsonText(Message, limits);
  // A CONTROL_MESSAGE's one log event is CloudWatch Logs' own health-check text, not JSON of the
  // user's format: with a Message schema it is dropped, so that delivery does not fail.
  const data = decoded(logsData(message as unknown as Message), limits, Message !== undefined);
  return tagSource(awsObject({ awslogs: awsObject({ data }) }), { source: 'cloudwatch-logs', http: false });
}
