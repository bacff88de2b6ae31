// @lambdakit/parser/parse: the middleware and the parsing functions, without any event source's schemas.
export { detectSource } from '../detect-source.js';
export { type EventSourceName, type HttpSource, schemaSource } from '../event-source.js';
export { json } from '../json.js';
export {
  LargePayloadError,
  type LargePayloadErrorCode,
  type LargePayloadErrorDetails,
} from '../large-payload-error.js';
export {
  defaultLimits,
  type EnvelopeOptions,
  type MessageOptions,
  type ParseLimits,
  type PayloadOptions,
} from '../limits.js';
export { type ParseOptions, type ParseResponse, parse } from '../parse.js';
export { ParseError, type ParseErrorCode, type ParseErrorDetails, type ParseIssue } from '../parse-error.js';
export { parseEvent, type SafeParseEventResult, safeParseEvent } from '../parse-event.js';
export type { PayloadPointer } from '../payload-pointer.js';
export type { PayloadStore } from '../payload-store.js';
export {
  type HttpProblemResponse,
  MAX_PROBLEM_ISSUES,
  type ProblemDetails,
  type ProblemIssue,
  problemDetails,
  problemResponse,
} from '../problem-details.js';
export {
  type ClearOptions,
  clearLargePayloads,
  hasLargePayloads,
  type ResolvedPayloads,
  type ResolvedRecord,
  resolveLargePayload,
  resolveLargePayloads,
} from '../resolve-large-payloads.js';
export {
  type BatchEventSchema,
  type BatchRecord,
  type ParsedRecords,
  type RecordFailure,
  safeParseRecord,
  safeParseRecords,
  type ValidRecord,
} from '../safe-parse-records.js';
