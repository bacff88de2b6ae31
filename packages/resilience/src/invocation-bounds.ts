/**
 * What the doors read from the invocation: lambdakit's `ctx`, or Lambda's own context object.
 * Without one, a call is bounded by the door's own limits only.
 */
export interface InvocationLike {
  /** Aborts the work (lambdakit's `ctx.signal`: before Lambda's deadline). */
  readonly signal?: AbortSignal | undefined;
  /** Lambda's deadline, epoch milliseconds (lambdakit's `ctx.deadline`). */
  readonly deadline?: number | undefined;
  /** Lambda's context: milliseconds left before the deadline. */
  getRemainingTimeInMillis?: (() => number) | undefined;
}

/** The invocation's signal and deadline; `fallbackMs` from now when the invocation gives no deadline. */
export function invocationBounds(
  ctx: InvocationLike | undefined,
  nowMs: number,
  fallbackMs: number,
): { signal: AbortSignal | undefined; deadline: number } {
  let deadline = ctx?.deadline;
  if ((deadline === undefined || !Number.isFinite(deadline)) && typeof ctx?.getRemainingTimeInMillis === 'function') {
    const remaining = ctx.getRemainingTimeInMillis();
    if (Number.isFinite(remaining)) deadline = nowMs + remaining;
  }
  if (deadline === undefined || !Number.isFinite(deadline)) deadline = nowMs + fallbackMs;
  return { signal: ctx?.signal, deadline: Math.min(deadline, nowMs + fallbackMs) };
}

/** A positive finite number option, or its default; a TypeError naming the door and option otherwise. */
export function positiveOption(
  door: string,
  option: string,
  value: unknown,
  fallback: number,
  integer = false,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    const what = integer ? 'a positive integer' : 'a positive number';
    throw new TypeError(`${door}({ ${option} }): expected ${what}, got ${String(value)}`);
  }
  return value;
}

/** A non-empty string option. */
export function nameOption(door: string, value: unknown): string {
  if (typeof value !== 'string' || value === '' || value.length > 200) {
    throw new TypeError(`${door}({ name }): expected a non-empty string of at most 200 characters`);
  }
  return value;
}
