import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EndpointFaults } from './endpoint-faults.js';
import { ServiceError } from './service-error.js';
import { jsonProtocol, readBody, UNREADABLE, type WireProtocol } from './wire-protocol.js';

const MAX_BODY_BYTES = 1024 * 1024;

/** One request a local endpoint received. */
export interface LocalRequest {
  /** The operation from `X-Amz-Target` (`GetParametersByPath`), or the raw target if unknown. */
  operation: string;
  /** The parsed JSON body (`undefined` if it was not JSON). */
  body: unknown;
  /** The HTTP status the server answered with. */
  status: number;
}

/** The operations of one service: each takes the parsed request and returns (or resolves to) the answer's body. */
/** What an operation may read of the HTTP request besides its input. */
export interface OperationRequest {
  /** The request's `X-Amzn-Trace-Id` header (SQS keeps it as a message's `AWSTraceHeader`). */
  readonly traceHeader: string | undefined;
}

export type JsonOperations<Op extends string> = Readonly<
  Record<Op, (input: Record<string, unknown>, request: OperationRequest) => unknown>
>;

/** What a JSON 1.1 service endpoint answers with, and how it names itself. */
export interface JsonService<Op extends string> {
  /** The handle's name in messages (`LocalSsm`). */
  readonly owner: string;
  /** The `X-Amz-Target` prefix, dot included (`AmazonSSM.`, `secretsmanager.`, `TrentService.`), for JSON services. */
  readonly targetPrefix?: string | undefined;
  /** The wire protocol, when not JSON 1.x with {@link JsonService.targetPrefix}: query (SNS), REST JSON (Lambda). */
  readonly protocol?: WireProtocol | undefined;
  /** The service's error type for a failure of its own (`InternalServerError`, `KMSInternalException`). */
  readonly internalErrorType: string;
  readonly operations: JsonOperations<Op>;
  /** The largest request body read (default 1 MiB); SQS takes more, its messages being up to 1 MiB. */
  readonly maxBodyBytes?: number | undefined;
}

/** What a test holds of any local endpoint: its address, its request log, and its faults. */
export type LocalEndpoint<Op extends string> = Pick<
  JsonEndpoint<Op>,
  | 'endpoint'
  | 'port'
  | 'region'
  | 'clientConfig'
  | 'requests'
  | 'count'
  | 'resetRequests'
  | 'throttle'
  | 'denyAccess'
  | 'fail'
  | 'setLatency'
  | 'pause'
  | 'resume'
  | 'clearFaults'
  | 'close'
>;

/**
 * A local endpoint of an AWS service that speaks JSON 1.1 (`POST /`, `X-Amz-Target:
 * <prefix><Operation>`) on 127.0.0.1: each request logged first, faults injected next, then the
 * operation, its errors in the service's shape. Subclasses add the service's own store methods.
 */
export class JsonEndpoint<Op extends string> {
  readonly endpoint: string;
  readonly port: number;
  /** Ready-made SDK client configuration: endpoint, region and static fake credentials. */
  readonly clientConfig: {
    endpoint: string;
    region: string;
    credentials: { accessKeyId: string; secretAccessKey: string };
  };
  protected readonly faults: EndpointFaults;
  private readonly log: LocalRequest[] = [];
  private readonly protocol: WireProtocol;

  /** Starts listening; use the subclass's `start…()` function rather than this. */
  static async listen(port: number | undefined): Promise<Server> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port ?? 0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.unref();
    return server;
  }

  constructor(
    private readonly server: Server,
    readonly region: string,
    private readonly service: JsonService<Op>,
  ) {
    this.faults = new EndpointFaults(service.owner, service.internalErrorType);
    this.protocol = service.protocol ?? jsonProtocol(service.targetPrefix ?? '');
    this.port = (server.address() as AddressInfo).port;
    this.endpoint = `http://127.0.0.1:${this.port}`;
    this.clientConfig = {
      endpoint: this.endpoint,
      region,
      credentials: { accessKeyId: 'AKIDLOCALAWS', secretAccessKey: 'local-aws-secret' },
    };
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      this.handle(req, res).catch(() => {
        if (!res.headersSent) this.protocol.error(res, 500, service.internalErrorType, 'local endpoint failure');
      });
    });
  }

  /** Every request received so far, oldest first (faulted ones included). */
  get requests(): readonly LocalRequest[] {
    return this.log;
  }

  /** How many requests were received for `operation`, or in total without an argument. */
  count(operation?: Op): number {
    return operation === undefined ? this.log.length : this.log.filter((r) => r.operation === operation).length;
  }

  /** Forgets the request log and counts. */
  resetRequests(): void {
    this.log.length = 0;
  }

  /** Answers the next `count` requests with `ThrottlingException` (HTTP 400), as the service does over its rate. */
  throttle(count: number): void {
    this.faults.throttle(count);
  }

  /** Answers the next `count` requests (after throttled ones) with `AccessDeniedException`, as a role without the permission gets. */
  denyAccess(count: number): void {
    this.faults.denyAccess(count);
  }

  /** Answers the next `count` requests (after throttled and denied ones) with the service's internal error and `status`. */
  fail(count: number, status = 500): void {
    this.faults.fail(count, status);
  }

  /** Delays every response by `ms` milliseconds (0 to stop). */
  setLatency(ms: number): void {
    this.faults.setLatency(ms);
  }

  /** Holds every response (requests are still received and logged) until `resume()`. */
  pause(): void {
    this.faults.pause();
  }

  /** Answers the held requests and stops holding new ones. */
  resume(): void {
    this.faults.resume();
  }

  /** Removes pending throttles, denials, failures and latency, and resumes if paused. */
  clearFaults(): void {
    this.faults.clear();
  }

  /** Stops the server and closes open connections. */
  close(): Promise<void> {
    this.faults.resume();
    return new Promise<void>((resolve, reject) => {
      this.server.close((error) => (error ? reject(error) : resolve()));
      this.server.closeAllConnections();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const protocol = this.protocol;
    const entry: LocalRequest = { operation: '', body: undefined, status: 0 };
    this.log.push(entry);
    // The latency in force when the request arrived applies, so a test can change it mid-flight.
    const delayMs = this.faults.latencyMs;
    const fail = (status: number, type: string, message: string) => {
      entry.status = status;
      protocol.error(res, status, type, message);
    };
    let raw: string;
    try {
      raw = await readBody(req, this.service.maxBodyBytes ?? MAX_BODY_BYTES);
    } catch {
      return fail(413, 'SerializationException', 'Request body too large');
    }
    // Read before faults are injected, so the request log shows what a faulted request asked for.
    const { operation, input } = protocol.read(req, raw);
    entry.operation = operation;
    if (input !== UNREADABLE) entry.body = input;
    const fault = await this.faults.apply(delayMs);
    if (fault !== undefined) return fail(fault.status, fault.body.__type, fault.body.message);
    if (!Object.hasOwn(this.service.operations, operation)) {
      return fail(400, protocol.unknownOperation, `Unknown operation ${operation}`);
    }
    if (input === UNREADABLE) return fail(400, ...protocol.unreadable);
    let body: unknown;
    try {
      const traceHeader = req.headers['x-amzn-trace-id'];
      body = await this.service.operations[operation as Op](input, {
        traceHeader: typeof traceHeader === 'string' && traceHeader !== '' ? traceHeader : undefined,
      });
    } catch (error) {
      if (error instanceof ServiceError) return fail(error.status, error.type, error.message);
      return fail(500, this.service.internalErrorType, String(error));
    }
    entry.status = protocol.answer(res, 200, body, operation) ?? 200;
  }
}
