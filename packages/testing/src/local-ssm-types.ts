import type { LocalRequest } from './json-endpoint.js';

// The public shapes of the local SSM endpoint: what a test seeds, reads and observes.

/** The parameter types SSM Parameter Store knows. */
export type LocalSsmParameterType = 'String' | 'StringList' | 'SecureString';

/** A parameter to seed: a string (`String`), an array (`StringList`) or an explicit type and value. */
export type LocalSsmParameterInput =
  | string
  | readonly string[]
  | { readonly type?: LocalSsmParameterType | undefined; readonly value: string | readonly string[] };

/** The SSM operations `startLocalSsm()` implements. */
export type LocalSsmOperation =
  | 'GetParametersByPath'
  | 'GetParameter'
  | 'GetParameters'
  | 'PutParameter'
  | 'DeleteParameter';

/** Options of `startLocalSsm()`. */
export interface StartLocalSsmOptions {
  /** Parameters present from the start, by full name (`/lambdakit/orders/db/host`). */
  parameters?: Readonly<Record<string, LocalSsmParameterInput>> | undefined;
  /** Port on 127.0.0.1 (default 0: a random free port). */
  port?: number | undefined;
  /** Region used in parameter ARNs and {@link LocalSsm.clientConfig} (default `us-east-1`). */
  region?: string | undefined;
  /** Account id used in parameter ARNs (default `123456789012`). */
  accountId?: string | undefined;
}

/** A stored parameter, as the local server holds it (the value is always the plaintext). */
export interface LocalSsmParameter {
  name: string;
  type: LocalSsmParameterType;
  value: string;
  version: number;
  lastModifiedDate: Date;
}

/** One request the server received. */
export type LocalSsmRequest = LocalRequest;

/** A running local SSM endpoint; pass {@link LocalSsm.clientConfig} to `new SSMClient(...)`. */
export interface LocalSsm {
  /** `http://127.0.0.1:<port>`. */
  readonly endpoint: string;
  readonly port: number;
  readonly region: string;
  /** Ready-made `SSMClient` configuration: endpoint, region and static fake credentials. */
  readonly clientConfig: {
    endpoint: string;
    region: string;
    credentials: { accessKeyId: string; secretAccessKey: string };
  };
  /** Every request received so far, oldest first (faulted ones included). */
  readonly requests: readonly LocalSsmRequest[];
  /** How many requests were received for `operation`, or in total without an argument. */
  count(operation?: LocalSsmOperation): number;
  /** Forgets the request log and counts. */
  resetRequests(): void;
  /** Answers the next `count` requests with `ThrottlingException` (HTTP 400), as SSM does over its rate limit. */
  throttle(count: number): void;
  /** Answers the next `count` requests (after any throttled ones) with `AccessDeniedException`, as a role without the permission gets. */
  denyAccess(count: number): void;
  /** Answers the next `count` requests (after any throttled or denied ones) with `InternalServerError` and `status`. */
  fail(count: number, status?: number): void;
  /** Delays every response by `ms` milliseconds (0 to stop). */
  setLatency(ms: number): void;
  /** Holds every response (requests are still received and logged) until {@link LocalSsm.resume}. */
  pause(): void;
  /** Answers the held requests and stops holding new ones. */
  resume(): void;
  /** Removes pending throttles, failures and latency, and resumes if paused. */
  clearFaults(): void;
  /** Creates or overwrites a parameter directly (the version increments as with `PutParameter`). */
  put(name: string, input: LocalSsmParameterInput): void;
  /** Deletes a parameter directly; `false` if it did not exist. */
  delete(name: string): boolean;
  /** Reads a stored parameter directly. */
  get(name: string): LocalSsmParameter | undefined;
  /** Stops the server and closes open connections. */
  close(): Promise<void>;
}
