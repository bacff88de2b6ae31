import type { VariantSpec } from './variants.js';

/** A Lambda handler as the bench calls it. */
export type Handler = (event: unknown, context: unknown) => Promise<unknown>;

/** Imports a variant's handler in this process (servers must be started and `process.env` set first). */
export async function loadHandler(spec: VariantSpec): Promise<Handler> {
  const mod = (await import(`../variants/${spec.entry}.js`)) as { handler: Handler };
  return mod.handler;
}

/** Invokes once and checks the answer is a 200, so a broken variant cannot look fast. */
export async function checkedInvoke(handler: Handler, event: unknown, context: unknown, label: string): Promise<void> {
  const result = (await handler(event, context)) as { statusCode?: number; body?: string } | undefined;
  if (result?.statusCode !== 200) {
    throw new Error(`${label}: expected a 200 response, got ${JSON.stringify(result)?.slice(0, 500)}`);
  }
}
