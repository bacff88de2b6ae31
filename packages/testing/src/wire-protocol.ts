import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** A request body a protocol could not read: answered with its `unreadable` error. */
export const UNREADABLE = Symbol('unreadable request');

/** What a protocol reads from a request: the operation it names and its input. */
export interface WireRequest {
  /** The operation (`GetParametersByPath`, `Publish`, `Invoke`), or what the request named if unknown. */
  readonly operation: string;
  /** The input as an object, or {@link UNREADABLE}. */
  readonly input: Record<string, unknown> | typeof UNREADABLE;
}

/**
 * How a local endpoint speaks one of AWS's wire protocols: JSON 1.x (`X-Amz-Target`), query (form
 * body in, XML out: SNS) or REST JSON (Lambda): reading a request, writing an answer and an error.
 */
export interface WireProtocol {
  read(req: IncomingMessage, raw: string): WireRequest;
  /** Writes an operation's result; returns the status written when not `status`. */
  answer(res: ServerResponse, status: number, body: unknown, operation: string): number | undefined;
  error(res: ServerResponse, status: number, type: string, message: string): void;
  /** The error of a body it could not read: [type, message]. */
  readonly unreadable: readonly [type: string, message: string];
  /** The error type of an unknown operation. */
  readonly unknownOperation: string;
}

/** JSON 1.0 and 1.1 (`POST /`, `X-Amz-Target: <prefix><Operation>`): SSM, Secrets Manager, KMS, SQS, EventBridge. */
export function jsonProtocol(targetPrefix: string): WireProtocol {
  const write = (res: ServerResponse, status: number, body: unknown) => {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/x-amz-json-1.1',
      'content-length': Buffer.byteLength(text),
      'x-amzn-requestid': randomUUID(),
    });
    res.end(text);
  };
  return {
    read(req, raw) {
      const target = String(req.headers['x-amz-target'] ?? '');
      const operation = target.startsWith(targetPrefix) ? target.slice(targetPrefix.length) : target;
      if (req.method !== 'POST') return { operation: `${req.method} ${target}`, input: {} };
      return { operation, input: parseJsonObject(raw) };
    },
    answer(res, status, body) {
      write(res, status, body);
      return undefined;
    },
    error: (res, status, type, message) => write(res, status, { __type: type, message }),
    unreadable: ['SerializationException', 'Start of structure or map found where not expected.'],
    unknownOperation: 'UnknownOperationException',
  };
}

/** `raw` as a JSON object (an empty body is `{}`), else {@link UNREADABLE}. */
export function parseJsonObject(raw: string): Record<string, unknown> | typeof UNREADABLE {
  if (raw === '') return {};
  try {
    const parsed: unknown = JSON.parse(raw);
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed))
      return parsed as Record<string, unknown>;
  } catch {
    // below
  }
  return UNREADABLE;
}

/** The body of `req` as text, rejecting past `maxBytes`. */
export async function readBody(req: IncomingMessage, maxBytes: number): Promise<string> {
  return (await readBodyBytes(req, maxBytes)).toString('utf8');
}

/** The body of `req` as bytes (a protobuf or gzip body), rejecting past `maxBytes`. */
export function readBodyBytes(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        req.destroy();
        reject(new Error('body too large'));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
