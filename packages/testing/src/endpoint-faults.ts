/** A fault answer: the HTTP status and the service's JSON error body. */
export interface FaultAnswer {
  readonly status: number;
  readonly body: { __type: string; message: string };
}

/**
 * Faults a test injects into a local AWS endpoint: throttling, access denied, server errors, latency
 * and a pause. `owner` names the handle in the `TypeError` of a bad argument (`LocalSsm`).
 */
export class EndpointFaults {
  private throttled = 0;
  private denied = 0;
  private failing = 0;
  private failStatus = 500;
  /** Delay added to every response, in milliseconds. */
  latencyMs = 0;
  private gate: { promise: Promise<void>; open: () => void } | undefined;

  constructor(
    private readonly owner: string,
    /** The service's own name for a server-side failure (`InternalServerError` for SSM). */
    private readonly internalErrorType: string,
  ) {}

  /** Answers the next `count` requests with `ThrottlingException`. */
  throttle(count: number): void {
    this.throttled = this.nonNegative(count, 'throttle(count)');
  }

  /** Answers the next `count` requests (after any throttled ones) with `AccessDeniedException`. */
  denyAccess(count: number): void {
    this.denied = this.nonNegative(count, 'denyAccess(count)');
  }

  /** Answers the next `count` requests (after any throttled or denied ones) with the service's internal error and `status`. */
  fail(count: number, status = 500): void {
    if (!Number.isInteger(status) || status < 400 || status > 599) {
      throw new TypeError(
        `${this.owner}.fail(count, status): expected an HTTP error status from 400 to 599, got ${String(status)}`,
      );
    }
    this.failing = this.nonNegative(count, 'fail(count, status)');
    this.failStatus = status;
  }

  /** Delays every response by `ms` (0 to stop). */
  setLatency(ms: number): void {
    this.latencyMs = this.nonNegative(ms, 'setLatency(ms)');
  }

  /** Holds every response until {@link EndpointFaults.resume}. */
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

  /** Removes pending throttles, denials, failures and latency, and resumes. */
  clear(): void {
    this.throttled = 0;
    this.denied = 0;
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
    if (this.denied > 0) {
      this.denied--;
      const message =
        'User: arn:aws:sts::123456789012:assumed-role/local/test is not authorized to perform this operation';
      return { status: 400, body: { __type: 'AccessDeniedException', message } };
    }
    if (this.failing > 0) {
      this.failing--;
      return {
        status: this.failStatus,
        body: { __type: this.internalErrorType, message: 'An error occurred on the server side.' },
      };
    }
    return undefined;
  }

  private nonNegative(n: number, what: string): number {
    if (typeof n !== 'number' || !Number.isFinite(n) || n < 0) {
      throw new TypeError(`${this.owner}.${what}: expected a non-negative number, got ${String(n)}`);
    }
    return n;
  }
}
