import { randomUUID } from 'node:crypto';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { LargePayloadError, s3MayPass } from './large-payload-error.js';

/** Options of {@link offloadLargeResponse}. */
export interface OffloadLargeResponseOptions {
  /** The S3 client the body is written with and the link signed by (its credentials sign it). */
  s3: S3Client;
  /** The bucket bodies are written to (give it a lifecycle rule that expires them). */
  bucket: string;
  /**
   * A response whose JSON passes this many bytes goes through S3. Default 6,291,456: Lambda's limit
   * for a synchronous invocation. Behind an ALB, whose limit for a Lambda target is 1 MB, give
   * 1,000,000.
   */
  thresholdBytes?: number | undefined;
  /** How long the link works, in seconds (default 300; at most 7 days, and no longer than the signing credentials). */
  expiresInSeconds?: number | undefined;
  /** Prepended to each object's key (a random UUID), e.g. `responses/` (default none). */
  keyPrefix?: string | undefined;
  /** Answers that are never moved (default: none): e.g. errors. */
  keep?: ((response: HttpResponse) => boolean) | undefined;
}

/** An HTTP response as API Gateway (REST and HTTP APIs), ALB and function URLs take it from Lambda. */
export interface HttpResponse {
  statusCode?: number;
  headers?: Record<string, string | number | boolean>;
  multiValueHeaders?: Record<string, (string | number | boolean)[]>;
  cookies?: string[];
  body?: string;
  isBase64Encoded?: boolean;
}

/** What a redirected response is: a 303 to the signed link, with the original's cookies. */
export interface RedirectResponse {
  statusCode: 303;
  headers: { Location: string; 'Cache-Control': 'no-store'; 'Set-Cookie'?: string };
  multiValueHeaders?: Record<string, (string | number | boolean)[]>;
  cookies?: string[];
  body: '';
}

const LAMBDA_RESPONSE_LIMIT = 6_291_456;
const MAX_EXPIRY = 7 * 24 * 3600;

function check(options: OffloadLargeResponseOptions) {
  const door = 'offloadLargeResponse(response, options)';
  if (typeof (options?.s3 as { send?: unknown } | undefined)?.send !== 'function') {
    throw new TypeError(`${door}: s3 must be an S3Client from @aws-sdk/client-s3`);
  }
  if (typeof options.bucket !== 'string' || options.bucket === '')
    throw new TypeError(`${door}: bucket must be a bucket name`);
  const threshold = options.thresholdBytes ?? LAMBDA_RESPONSE_LIMIT;
  if (!Number.isSafeInteger(threshold) || threshold < 0)
    throw new TypeError(`${door}: thresholdBytes must be an integer ≥ 0`);
  const expiresIn = options.expiresInSeconds ?? 300;
  if (!Number.isSafeInteger(expiresIn) || expiresIn < 1 || expiresIn > MAX_EXPIRY) {
    throw new TypeError(`${door}: expiresInSeconds must be an integer from 1 to ${MAX_EXPIRY}`);
  }
  const prefix = options.keyPrefix ?? '';
  if (typeof prefix !== 'string') throw new TypeError(`${door}: keyPrefix must be a string`);
  if (options.keep !== undefined && typeof options.keep !== 'function')
    throw new TypeError(`${door}: keep must be a function`);
  return { threshold, expiresIn, prefix };
}

function header(response: HttpResponse, name: string): string | undefined {
  for (const [key, value] of Object.entries(response.headers ?? {})) {
    if (key.toLowerCase() === name) return String(value);
  }
  const values = Object.entries(response.multiValueHeaders ?? {}).find(([key]) => key.toLowerCase() === name)?.[1];
  return values === undefined || values.length === 0 ? undefined : values.map(String).join(', ');
}

/** The headers S3 stores with the object and serves back when the link is followed. */
function objectHeaders(http: HttpResponse) {
  return {
    ContentType: header(http, 'content-type'),
    ContentEncoding: header(http, 'content-encoding'),
    ContentDisposition: header(http, 'content-disposition'),
    ContentLanguage: header(http, 'content-language'),
    CacheControl: header(http, 'cache-control'),
  };
}

/** The redirect to `location`, carrying the original's cookies in each source's form. */
function redirectTo(location: string, http: HttpResponse): RedirectResponse {
  const redirect: RedirectResponse = {
    statusCode: 303,
    headers: { Location: location, 'Cache-Control': 'no-store' },
    body: '',
  };
  if (http.cookies !== undefined) redirect.cookies = http.cookies;
  const single = Object.entries(http.headers ?? {}).find(([name]) => name.toLowerCase() === 'set-cookie');
  if (single !== undefined) redirect.headers['Set-Cookie'] = String(single[1]);
  const multi = Object.entries(http.multiValueHeaders ?? {}).find(([name]) => name.toLowerCase() === 'set-cookie');
  if (multi !== undefined) redirect.multiValueHeaders = { [multi[0]]: multi[1] };
  return redirect;
}

/**
 * A response too large for Lambda (6 MB for a synchronous invocation) becomes a `303 See Other` to
 * a presigned S3 link: the body is written to `bucket` (decoded when `isBase64Encoded`, with its
 * `Content-Type`, `Content-Encoding`, `Content-Disposition`, `Content-Language` and `Cache-Control`,
 * which S3 serves back) and the client follows the link, valid `expiresInSeconds`. A response under
 * the limit, or one `keep` keeps, is returned unchanged. A handler's plain object (which API Gateway
 * HTTP APIs and function URLs answer as a JSON body) counts as a JSON body. The function needs
 * `s3:PutObject` and `s3:GetObject` on the bucket. Throws `LargePayloadError`
 * (`PARSER_PAYLOAD_OFFLOAD_FAILED`) when S3 fails: then Lambda would have failed the response anyway.
 */
export async function offloadLargeResponse<R>(
  response: R,
  options: OffloadLargeResponseOptions,
): Promise<R | RedirectResponse> {
  const { threshold, expiresIn, prefix } = check(options);
  const text = JSON.stringify(response) ?? '';
  if (Buffer.byteLength(text) <= threshold) return response;
  const isHttp = response !== null && typeof response === 'object' && 'statusCode' in response;
  const http: HttpResponse = isHttp
    ? (response as HttpResponse)
    : { statusCode: 200, headers: { 'content-type': 'application/json' }, body: text };
  if (options.keep?.(http) === true) return response;
  const raw = http.body ?? '';
  const body = http.isBase64Encoded === true ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  const key = `${prefix}${randomUUID()}`;
  let location: string;
  try {
    await options.s3.send(
      new PutObjectCommand({ Bucket: options.bucket, Key: key, Body: body, ...objectHeaders(http) }),
    );
    location = await getSignedUrl(options.s3, new GetObjectCommand({ Bucket: options.bucket, Key: key }), {
      expiresIn,
    });
  } catch (error) {
    throw new LargePayloadError(
      'PARSER_PAYLOAD_OFFLOAD_FAILED',
      `The response body (${body.length} bytes) could not be written to s3://${options.bucket}/${key}`,
      { bucket: options.bucket, key, cause: error, retryable: s3MayPass(error) },
    );
  }
  return redirectTo(location, http);
}
