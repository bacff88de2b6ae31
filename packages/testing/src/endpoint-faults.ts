/** A fault answer: the HTTP status and SSM's JSON error body. */
export interface FaultAnswer {
  readonly status: number;
  readonly body: { __type: string; message: string };
}

/** Faults a test injects into the local SSM endpoint: throttling, server errors, latency and a pause. */
export class SsmFaults {
  private throttled = 0;
  private failing = 0;
  private failStatus = 500;
  /** Delay added to every response, in milliseconds. */
  latencyMs = 0;
  private gate: { promise: Promise<void>; open: () => void } | undefined;

  /** Answers the next `count` requests with `ThrottlingException`. */
  throttle(count: number): void {
    this.throttled = nonNegative(count, 'throttle(count)');
  }

  /** Answers the next `count` requests (after any throttled ones) with `InternalServerError` and `status`. */
  fail(count: number, status = 500): void {
    if (!Number.isInteger(status) || status < 400 || status > 599) {
      throw new TypeError(
        `LocalSsm.fail(count, status): expected an HTTP error status from 400 to 599, got ${String(status)}`,
      );
    }
    this.failing = nonNegative(count, 'fail(count, status)');
    this.failStatus = status;
  }

  /** Delays every response by `ms` (0 to stop). */
  setLatency(ms: number): void {
    this.latencyMs = nonNegative(ms, 'setLatency(ms)');
  }

  /** Holds every response until {@link SsmFaults.resume}. */
  pause(): void {
    if (this.gate !== undefined) return;
    let open = () => {};
    const promise = new Promise<void>((resolve) => {
      open = resolve;
    });
    this.gate = { promise, open };
  }

  /** Answers the held requests and stops holding new ones. */
  resume(): void {
    this.gate?.open();
    this.gate = undefined;
  }

  /** Removes pending throttles, failures and latency, and resumes. */
  clear(): void {
    this.throttled = 0;
    this.failing = 0;
    this.latencyMs = 0;
    this.resume();
  }

  /**
   * Waits out the latency in force when the request arrived (`delayMs`) and any pause, then
   * returns the fault this request is answered with, if any.
   */
  async apply(delayMs: number): Promise<FaultAnswer | undefined> {
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs).unref());
    if (this.gate !== undefined) await this.gate.promise;
    if (this.throttled > 0) {
      this.throttled--;
      return { status: 400, body: { __type: 'ThrottlingException', message: 'Rate exceeded' } };
    }
    if (this.failing > 0) {
      this.failing--;
      return {
        status: this.failStatus,
        body: { __type: 'InternalServerError', message: 'An error occurred on the server side.' },
      };
    }
    return undefined;
  }
}

function nonNegative(n: number, what: string): number {
  if (typeof n !== 'number' || !Number.isFinite(n) || n < 0) {
    throw new TypeError(`LocalSsm.${what}: expected a non-negative number, got ${String(n)}`);
  }
  return n;
}
