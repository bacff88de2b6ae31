import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** The `Lambda-Runtime-Function-Error-Type` header of a post. */
export function errorTypeOf(request: IncomingMessage): string {
  const type = request.headers['lambda-runtime-function-error-type'];
  return (Array.isArray(type) ? type[0] : type) ?? 'Unknown';
}

/** Which poller a request comes from: the worker tag of lambdakit's runtime, else its connection. */
export function workerKey(request: IncomingMessage, socketIds: WeakMap<Socket, string>): string {
  const tag = /\bworker\/(\S+)/.exec(request.headers['user-agent'] ?? '')?.[1];
  if (tag !== undefined) return `tag:${tag}`;
  let id = socketIds.get(request.socket);
  if (id === undefined) {
    id = `socket:${randomUUID()}`;
    socketIds.set(request.socket, id);
  }
  return id;
}

/**
 * The request body (undefined once it passes `limit` bytes: the rest is read and dropped), and
 * whether it arrived whole (false when the connection broke first).
 */
export function readBody(
  request: IncomingMessage,
  limit: number,
): Promise<{ body: Buffer | undefined; complete: boolean }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let ended = false;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    request.once('end', () => {
      ended = true;
      resolve({ body: size > limit ? undefined : Buffer.concat(chunks), complete: true });
    });
    request.once('error', () => undefined);
    request.once('close', () => {
      if (!ended) resolve({ body: size > limit ? undefined : Buffer.concat(chunks), complete: false });
    });
  });
}

/** Answers a request with a JSON body, unless it was answered already. */
export function reply(response: ServerResponse, status: number, body: object): void {
  if (response.headersSent) return;
  response.writeHead(status, { 'Content-Type': 'application/json' });
  response.end(JSON.stringify(body));
}
