import type { HttpResponse } from './http-response.js';
import type { IncomingRequest } from './incoming-request.js';
import type { HttpResult } from './to-result.js';

/** What sends an app's response through Lambda's response stream (the writer of `streaming()`). */
export interface ResponseSender {
  send(response: HttpResponse, request: IncomingRequest, signal: AbortSignal | undefined): Promise<HttpResult>;
}

// Each invocation of a `streaming()` handler, by its Lambda context: kept apart from the writer
// itself, so an app that never streams does not carry the writer's code in its bundle.
const senders = new WeakMap<object, ResponseSender>();

/** Registers the sender of the invocation whose Lambda context is `context`, until {@link forgetSender}. */
export function registerSender(context: object, sender: ResponseSender): void {
  senders.set(context, sender);
}

export function forgetSender(context: object): void {
  senders.delete(context);
}

/** The sender of the invocation `ctx` belongs to (lambdakit's ctx, or the Lambda context itself), if it streams. */
export function senderOf(ctx: unknown): ResponseSender | undefined {
  if (typeof ctx !== 'object' || ctx === null) return undefined;
  const lambdaContext = (ctx as { lambdaContext?: unknown }).lambdaContext;
  return senders.get(typeof lambdaContext === 'object' && lambdaContext !== null ? lambdaContext : ctx);
}
