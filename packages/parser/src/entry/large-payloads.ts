// @lambdakit/parser/large-payloads: the S3 side of messages too large for SQS and SNS, in the
// format of AWS's extended clients. An add-on entry, not in the root: it needs @aws-sdk/client-s3
// (an optional peer dependency). The helpers' `largePayloads` option and `resolveLargePayloads` are
// in the root entry.
export { type OffloadLargePayloadsOptions, offloadLargePayloads } from '../offload-large-payloads.js';
export {
  type HttpResponse,
  type OffloadLargeResponseOptions,
  offloadLargeResponse,
  type RedirectResponse,
} from '../offload-large-response.js';
export {
  formatPointer,
  LEGACY_RESERVED_ATTRIBUTE,
  POINTER_CLASS,
  parsePointer,
  RESERVED_ATTRIBUTE,
} from '../payload-pointer.js';
export { type S3PayloadsOptions, s3Payloads } from '../s3-payloads.js';
