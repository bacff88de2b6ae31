// The floor: by hand, exactly the work the lambdakit API stack does, with no framework. The same
// log line (level label, ISO timestamp, the seven invocation fields, `message`), the same
// validation of the same parts of the event (the HTTP API v2 envelope and the body, base64
// bodies decoded), the same 400 problem details with JSON pointers, the same memoized SSM
// config, the same deadline (a TimeoutError 500 ms before Lambda's). What a framework cannot
// beat: lambdakit's overhead is measured against this.
import type { LambdaContext } from '@lambdakit/core';
import { pino } from 'pino';
import { z } from 'zod';
import { type HttpResult, Order, placeOrder } from '../order.js';
import { settings } from './ssm-settings.js';

const log = pino(
  {
    base: null,
    messageKey: 'message',
    formatters: { level: (label) => ({ level: label.toUpperCase() }) },
    timestamp: () => `,"timestamp":"${new Date().toISOString()}"`,
  },
  pino.destination({ dest: 1, sync: true }),
);

const strings = z.record(z.string(), z.string());
// The HTTP API (payload v2) event as API Gateway documents it; unknown fields kept.
const Envelope = z.looseObject({
  version: z.literal('2.0'),
  routeKey: z.string(),
  rawPath: z.string(),
  rawQueryString: z.string(),
  cookies: z.array(z.string()).optional(),
  headers: strings.optional(),
  queryStringParameters: strings.optional(),
  pathParameters: strings.optional(),
  stageVariables: strings.optional(),
  requestContext: z.looseObject({
    accountId: z.string(),
    apiId: z.string(),
    domainName: z.string(),
    domainPrefix: z.string(),
    http: z.looseObject({
      method: z.string(),
      path: z.string(),
      protocol: z.string(),
      sourceIp: z.string(),
      userAgent: z.string().optional(),
    }),
    requestId: z.string(),
    routeKey: z.string(),
    stage: z.string(),
    time: z.string(),
    timeEpoch: z.number(),
  }),
  body: z.string().optional(),
  isBase64Encoded: z.boolean(),
});

const MARGIN_MS = 500;
let coldStart = true;

class TimeoutError extends Error {
  override name = 'TimeoutError';
}

function problem(
  issues: Array<{ pointer: string; code: string; message: string }>,
): HttpResult & { isBase64Encoded: boolean } {
  const detail = `The request is invalid: ${issues.length} issue${issues.length === 1 ? '' : 's'}.`;
  return {
    statusCode: 400,
    headers: { 'content-type': 'application/problem+json' },
    body: JSON.stringify({ type: 'about:blank', title: 'Bad Request', status: 400, detail, issues }),
    isBase64Encoded: false,
  };
}

const pointer = (path: readonly PropertyKey[]) =>
  path.map((p) => `/${String(p).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');

const toIssues = (error: z.ZodError, prefix: readonly PropertyKey[] = []): Issue[] =>
  error.issues.map((issue) => {
    const path = [...prefix, ...issue.path];
    return { pointer: pointer(path), code: issue.code, message: issue.message, path: path.map(String).join('.') };
  });

function traceRoot(header: string | undefined): string | undefined {
  if (header === undefined || header === '') return undefined;
  return /(?:^|;)\s*Root=([^;]+)/.exec(header)?.[1] ?? header;
}

function correlationId(event: unknown): string | undefined {
  const id = (event as { requestContext?: { requestId?: unknown } } | null)?.requestContext?.requestId;
  return typeof id === 'string' ? id : undefined;
}

type Issue = { pointer: string; code: string; message: string; path: string };

/** The 400, and its one WARN line: the issue count, the first three issues, the first in the message. */
function invalid(requestLog: pino.Logger, issues: Issue[]): HttpResult {
  const first = issues[0]!;
  requestLog.warn(
    {
      source: 'apigw-http',
      issueCount: issues.length,
      issues: issues.slice(0, 3).map(({ path, message }) => ({ path, message })),
    },
    `invalid apigw-http request answered 400: ${first.path}: ${first.message}`,
  );
  return problem(issues.map(({ pointer, code, message }) => ({ pointer, code, message })));
}

async function work(event: unknown, context: LambdaContext): Promise<HttpResult> {
  const config = await settings();
  const envelope = Envelope.safeParse(event);
  const requestLog = log.child({
    requestId: context.awsRequestId,
    functionName: context.functionName,
    functionVersion: context.functionVersion,
    functionArn: context.invokedFunctionArn,
    coldStart,
    xrayTraceId: traceRoot(process.env._X_AMZN_TRACE_ID),
    correlationId: correlationId(event),
  });
  coldStart = false;
  if (!envelope.success) return invalid(requestLog, toIssues(envelope.error));
  const { body, isBase64Encoded } = envelope.data;
  let json: unknown;
  try {
    json = JSON.parse(
      isBase64Encoded && body !== undefined ? Buffer.from(body, 'base64').toString('utf8') : (body ?? ''),
    );
  } catch {
    return invalid(requestLog, [{ pointer: '/body', code: 'custom', message: 'Invalid JSON', path: 'body' }]);
  }
  const order = Order.safeParse(json);
  if (!order.success) return invalid(requestLog, toIssues(order.error, ['body']));
  const result = placeOrder(order.data, config);
  requestLog.info({ orderId: order.data.orderId, statusCode: result.statusCode }, 'order handled');
  return result;
}

/** The order handler, written by hand to do what the lambdakit API stack does. */
export function handler(event: unknown, context: LambdaContext): Promise<HttpResult> {
  const delay = context.getRemainingTimeInMillis() - MARGIN_MS;
  if (delay <= 0) return Promise.reject(new TimeoutError('less than the margin was left'));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new TimeoutError(`timed out ${MARGIN_MS} ms before the deadline`)), delay);
    work(event, context).then(
      (result) => {
        clearTimeout(timer);
        resolve(result);
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
