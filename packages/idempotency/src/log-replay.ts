import type { IdempotencyContext } from './idempotency-context.js';

/**
 * @internal One INFO line on the invocation's logger, when it has one, so that a retry that ran
 * nothing is visible in the logs next to the first delivery's lines. Never throws.
 */
export function logReplay(context: IdempotencyContext | undefined, key: string, from: 'local cache' | 'store'): void {
  const log = context?.log as { info?: (fields: object, message: string) => void } | undefined;
  if (typeof log?.info !== 'function') return;
  try {
    log.info({ idempotencyKey: key, replayedFrom: from }, 'idempotent replay: returning the stored result');
  } catch {
    // Logging is a courtesy here: the replayed result is what matters.
  }
}
