import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { WireProtocol } from './wire-protocol.js';

/** What the local Lambda's `Invoke` answers: the status, Lambda's headers and the raw payload. */
export interface InvokeAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly payload: string;
}

const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/?]+)\/invocations(?:\?|$)/;

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Lambda's REST JSON protocol for `Invoke` (`POST /2015-03-31/functions/{name}/invocations`, the
 * invocation type, client context and log type in `X-Amz-*` headers, the payload as the body);
 * errors as `x-amzn-ErrorType` with a JSON body.
 */
export function lambdaInvokeProtocol(): WireProtocol {
  return {
    read(req, raw) {
      const url = req.url ?? '';
      const match = req.method === 'POST' ? INVOKE_PATH.exec(url) : null;
      if (match === null) return { operation: `${req.method} ${url}`, input: {} };
      let name: string;
      try {
        name = decodeURIComponent(match[1]!);
      } catch {
        name = match[1]!;
      }
      const query = new URL(url, 'http://local').searchParams;
      return {
        operation: 'Invoke',
        input: {
          FunctionName: name,
          Qualifier: query.get('Qualifier') ?? undefined,
          InvocationType: header(req.headers['x-amz-invocation-type']),
          ClientContext: header(req.headers['x-amz-client-context']),
          LogType: header(req.headers['x-amz-log-type']),
          Payload: raw,
        },
      };
    },
    answer(res, _status, body) {
      const answer = body as InvokeAnswer;
      res.writeHead(answer.status, {
        ...answer.headers,
        'content-length': Buffer.byteLength(answer.payload),
        'x-amzn-requestid': randomUUID(),
      });
      res.end(answer.payload);
      return answer.status;
    },
    error(res: ServerResponse, status, type, message) {
      const text = JSON.stringify({ Type: status >= 500 ? 'Service' : 'User', Message: message });
      res.writeHead(status, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(text),
        'x-amzn-errortype': type,
        'x-amzn-requestid': randomUUID(),
      });
      res.end(text);
    },
    unreadable: ['InvalidRequestContentException', 'Could not parse request body into json'],
    unknownOperation: 'UnknownOperationException',
  };
}
