import type * as z from 'zod';
import type { LargePayloads } from './payload-store.js';

/** The name of an event source, as used for the `events` registry keys. */
export type EventSourceName =
  | 'sqs'
  | 'sns'
  | 's3'
  | 'eventbridge'
  | 'apigw-rest'
  | 'apigw-http'
  | 'alb'
  | 'lambda-url'
  | 'kinesis'
  | 'dynamodb-stream'
  | 'cloudwatch-logs'
  | 'firehose'
  | 'ses'
  | 'cognito-pre-signup'
  | 'cfn-custom-resource'
  | 'kafka';

/** How {@link safeParseRecords} finds and names the records of a batch event. */
export interface BatchShape {
  /** The property holding the records array (`Records`, or `records` for Firehose). */
  readonly key: 'Records' | 'records';
  /** The schema of one record. */
  readonly record: z.ZodType;
  /** The record's id as Lambda's partial batch response wants it, read from the raw record. */
  readonly itemIdentifier: (record: unknown) => string | undefined;
}

/** What lambdakit knows about a schema it built: its source, whether HTTP, its batch shape. */
export interface SourceInfo {
  readonly source: EventSourceName;
  readonly http: boolean;
  readonly batch?: BatchShape;
  /** Where extended-client payloads are fetched from, for a helper given `largePayloads`. */
  readonly payloads?: LargePayloads | undefined;
}

// Keyed by the schema object itself, so user schemas need no wrapper and nothing leaks.
const infos = new WeakMap<object, SourceInfo>();

declare const httpSource: unique symbol;

/**
 * Type-level marker of a schema for an HTTP source (API Gateway, ALB, function URL): `parse()`
 * then declares the 400 problem response it may return. Never present at run time.
 */
export interface HttpSource {
  readonly [httpSource]: true;
}

/** Records what a schema parses; returns the schema itself. */
export function tagSource<S extends object>(schema: S, info: SourceInfo): S {
  infos.set(schema, info);
  return schema;
}

/** Records that a schema parses an HTTP source, and says so in its type. */
export function tagHttp<S extends object>(schema: S, source: EventSourceName): S & HttpSource {
  infos.set(schema, { source, http: true });
  return schema as S & HttpSource;
}

/** What lambdakit knows about `schema`, or `undefined` for a schema it did not build. */
export function sourceInfo(schema: object): SourceInfo | undefined {
  return infos.get(schema);
}

/** Reads a non-empty string at `path` in a raw (unvalidated) value, safely: `stringAt(record, 'Sns', 'MessageId')`. */
export function stringAt(value: unknown, ...path: string[]): string | undefined {
  let found = value;
  for (const key of path) {
    if (found === null || typeof found !== 'object') return undefined;
    found = (found as Record<string, unknown>)[key];
  }
  return typeof found === 'string' && found !== '' ? found : undefined;
}

/**
 * The event source a schema built by this package validates (`sqs`, `apigw-http`, …), or
 * `undefined` for a schema of the caller's own: how other packages (batch, HTTP routes) learn
 * what a schema parses without probing it with a sample.
 */
export function schemaSource(schema: z.ZodType): EventSourceName | undefined {
  return infos.get(schema)?.source;
}
