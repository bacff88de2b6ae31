import { checkOption, checkOptions, isAccountId, isPort, isRecord, isText } from './check-option.js';
import { JsonEndpoint, type LocalEndpoint } from './json-endpoint.js';
import { ServiceError } from './service-error.js';
import { type InvokeAnswer, lambdaInvokeProtocol } from './wire-rest-lambda.js';

/** One invocation as a local function receives it. */
export interface LocalFunctionInvocation {
  readonly functionName: string;
  /** The version or alias asked for (`Qualifier`, or the `name:qualifier` suffix); `undefined` for none. */
  readonly qualifier: string | undefined;
  readonly invocationType: 'RequestResponse' | 'Event';
  /**
   * The client context, decoded, as the runtime hands it to the function (`context.clientContext`);
   * Lambda passes it to synchronous invocations only.
   */
  readonly clientContext: Record<string, unknown> | undefined;
}

/** A function the local Lambda runs: the payload, parsed, and the invocation; its result is the response. */
export type LocalFunction = (event: unknown, invocation: LocalFunctionInvocation) => unknown;

/** One invocation the local Lambda ran, and how it ended. */
export interface LocalInvocationRecord extends LocalFunctionInvocation {
  readonly event: unknown;
  /** `ok` with the result, or `error` with what the function threw; `pending` while it runs. */
  outcome: { status: 'pending' } | { status: 'ok'; result: unknown } | { status: 'error'; error: unknown };
}

/** Options of `startLocalLambda()`. */
export interface StartLocalLambdaOptions {
  /** The functions it serves, by name. */
  functions: Readonly<Record<string, LocalFunction>>;
  /** Port on 127.0.0.1 (default 0: a random free port). */
  port?: number | undefined;
  /** Region in function ARNs and the client configuration (default `us-east-1`). */
  region?: string | undefined;
  /** Account id in function ARNs (default `123456789012`). */
  accountId?: string | undefined;
}

/** A running local Lambda endpoint; pass {@link LocalLambda.clientConfig} to `new LambdaClient(...)`. */
export interface LocalLambda extends LocalEndpoint<'Invoke'> {
  /** Every invocation of function `name`, oldest first. */
  invocations(name: string): readonly LocalInvocationRecord[];
  /** Resolves once every asynchronous (`Event`) invocation started so far has ended. */
  settled(): Promise<void>;
}

// Lambda's payload limits: a synchronous request and response, an asynchronous request.
const MAX_SYNC_BYTES = 6 * 1024 * 1024;
const MAX_ASYNC_BYTES = 1024 * 1024;
const MAX_CLIENT_CONTEXT = 3583;
const FUNCTION_NAME =
  /^(?:(?:arn:aws[\w-]*:lambda:[a-z0-9-]+:)?\d{12}:function:)?([A-Za-z0-9_-]{1,64})(?::([A-Za-z0-9$_-]{1,128}))?$/;

const invalidContent = (message: string) => new ServiceError('InvalidRequestContentException', message);

function decodeClientContext(encoded: unknown): Record<string, unknown> | undefined {
  if (encoded === undefined || encoded === '') return undefined;
  const bad = invalidContent('Client context must be a valid Base64-encoded JSON object.');
  if (typeof encoded !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(encoded)) throw bad;
  if (encoded.length > MAX_CLIENT_CONTEXT) {
    throw new ServiceError(
      'InvalidParameterValueException',
      `Client context must be at most ${MAX_CLIENT_CONTEXT} bytes, base64-encoded.`,
    );
  }
  try {
    const parsed: unknown = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8'));
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed))
      return parsed as Record<string, unknown>;
  } catch {
    // below
  }
  throw bad;
}

/** The Lambda runtime's error payload of a thrown value. */
function errorPayload(error: unknown): string {
  const e = error instanceof Error ? error : new Error(String(error));
  // As the Node.js runtime writes it: the stack's lines, its first (`Name: message`) included.
  const trace = (e.stack ?? `${e.name}: ${e.message}`).split('\n');
  return JSON.stringify({ errorType: e.name, errorMessage: e.message, trace });
}

class RunningLocalLambda extends JsonEndpoint<'Invoke'> implements LocalLambda {
  private readonly records = new Map<string, LocalInvocationRecord[]>();
  private readonly running = new Set<Promise<unknown>>();

  constructor(
    server: ConstructorParameters<typeof JsonEndpoint>[0],
    region: string,
    private readonly accountId: string,
    private readonly functions: Readonly<Record<string, LocalFunction>>,
  ) {
    super(server, region, {
      owner: 'LocalLambda',
      protocol: lambdaInvokeProtocol(),
      internalErrorType: 'ServiceException',
      operations: { Invoke: (input) => this.invoke(input) },
      maxBodyBytes: 2 * MAX_SYNC_BYTES, // past it the request is refused before it is read in full
    });
  }

  invocations(name: string): readonly LocalInvocationRecord[] {
    return [...(this.records.get(name) ?? [])];
  }

  async settled(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  private async invoke(input: Record<string, unknown>): Promise<InvokeAnswer> {
    const { name, qualifier, fn } = this.target(input);
    const { type, clientContext, event } = readInvokeRequest(input);
    if (type === 'DryRun') return { status: 204, headers: {}, payload: '' };
    const record: LocalInvocationRecord = {
      functionName: name,
      qualifier,
      invocationType: type,
      // Lambda passes ClientContext to synchronous invocations only.
      clientContext: type === 'Event' ? undefined : clientContext,
      event,
      outcome: { status: 'pending' },
    };
    this.records.set(name, [...(this.records.get(name) ?? []), record]);
    const run = Promise.resolve()
      .then(() => fn(structuredClone(event), { ...record }))
      .then(
        (result) => {
          record.outcome = { status: 'ok', result };
        },
        (error: unknown) => {
          record.outcome = { status: 'error', error };
        },
      );
    if (type === 'Event') {
      this.running.add(run);
      void run.finally(() => this.running.delete(run));
      return { status: 202, headers: {}, payload: '' };
    }
    await run;
    const version = qualifier !== undefined && /^\d+$/.test(qualifier) ? qualifier : '$LATEST';
    return responseOf(record.outcome, version);
  }

  /** The function `FunctionName` (and `Qualifier`) names, or Lambda's error. */
  private target(input: Record<string, unknown>): { name: string; qualifier: string | undefined; fn: LocalFunction } {
    const match = FUNCTION_NAME.exec(String(input.FunctionName));
    const name = match?.[1];
    if (match === null || name === undefined) {
      throw new ServiceError(
        'ValidationException',
        `1 validation error detected: Value '${String(input.FunctionName)}' at 'functionName' failed to satisfy constraint`,
      );
    }
    if (input.Qualifier !== undefined && match[2] !== undefined && match[2] !== input.Qualifier) {
      throw new ServiceError(
        'InvalidParameterValueException',
        'The derived qualifier from the function name does not match the specified qualifier.',
      );
    }
    const qualifier = (input.Qualifier as string | undefined) ?? match[2];
    const fn = Object.hasOwn(this.functions, name) ? this.functions[name] : undefined;
    if (fn === undefined) {
      const arn = `arn:aws:lambda:${this.region}:${this.accountId}:function:${name}`;
      throw new ServiceError(
        'ResourceNotFoundException',
        `Function not found: ${arn}${qualifier ? `:${qualifier}` : ''}`,
        404,
      );
    }
    return { name, qualifier, fn };
  }
}

/** The invocation type, client context and event of an `Invoke`, checked as Lambda checks them. */
function readInvokeRequest(input: Record<string, unknown>): {
  type: 'RequestResponse' | 'Event' | 'DryRun';
  clientContext: Record<string, unknown> | undefined;
  event: unknown;
} {
  const type = input.InvocationType ?? 'RequestResponse';
  if (type !== 'RequestResponse' && type !== 'Event' && type !== 'DryRun') {
    throw new ServiceError('InvalidParameterValueException', `Unsupported InvocationType: ${String(type)}`);
  }
  const clientContext = decodeClientContext(input.ClientContext);
  const raw = String(input.Payload ?? '');
  const limit = type === 'Event' ? MAX_ASYNC_BYTES : MAX_SYNC_BYTES;
  if (Buffer.byteLength(raw) > limit) {
    throw new ServiceError(
      'RequestTooLargeException',
      `Request must be smaller than ${limit} bytes for the InvokeFunction operation`,
      413,
    );
  }
  let event: unknown;
  try {
    event = raw === '' ? {} : JSON.parse(raw);
  } catch (error) {
    throw invalidContent(`Could not parse request body into json: ${(error as Error).message}`);
  }
  return { type, clientContext, event };
}

/** A synchronous invocation's answer: its result as JSON, or the runtime's error payload. */
function responseOf(outcome: LocalInvocationRecord['outcome'], version: string): InvokeAnswer {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'x-amz-executed-version': version };
  const failed = (error: unknown): InvokeAnswer => ({
    status: 200,
    headers: { ...headers, 'x-amz-function-error': 'Unhandled' },
    payload: errorPayload(error),
  });
  if (outcome.status === 'error') return failed(outcome.error);
  const result = outcome.status === 'ok' ? outcome.result : undefined;
  let payload: string;
  try {
    payload = JSON.stringify(result === undefined ? null : result);
  } catch (error) {
    return failed(
      Object.assign(new Error(`Unable to stringify response body: ${String(error)}`), { name: 'Runtime.MarshalError' }),
    );
  }
  if (Buffer.byteLength(payload) > MAX_SYNC_BYTES) {
    const message = `Response payload size exceeded maximum allowed payload size (${MAX_SYNC_BYTES} bytes).`;
    return failed(Object.assign(new Error(message), { name: 'Function.ResponseSizeTooLarge' }));
  }
  return { status: 200, headers, payload };
}

/**
 * Starts an HTTP server on 127.0.0.1 that speaks Lambda's `Invoke` API (REST JSON), so the real
 * `@aws-sdk/client-lambda` invokes `functions` in this process: a function's name, partial ARN
 * or ARN, with a qualifier or not; `RequestResponse` (the result or, for a throw, `FunctionError:
 * Unhandled` with the runtime's error payload), `Event` (202, run in the background) and `DryRun`;
 * the client context decoded and passed to synchronous invocations only; Lambda's payload limits
 * and errors, faults. `LogType: Tail` gets no log.
 */
export async function startLocalLambda(options: StartLocalLambdaOptions): Promise<LocalLambda> {
  const door = 'startLocalLambda';
  checkOptions(door, options);
  checkOption(door, 'functions', options.functions, isRecord);
  checkOption(door, 'port', options.port, isPort);
  checkOption(door, 'region', options.region, isText);
  checkOption(door, 'accountId', options.accountId, isAccountId);
  for (const [name, fn] of Object.entries(options.functions ?? {})) {
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(name) || typeof fn !== 'function') {
      throw new TypeError(
        `${door}({ functions }): expected functions by name (letters, digits, - and _), got ${name}: ${typeof fn}`,
      );
    }
  }
  if (options.functions === undefined)
    throw new TypeError(`${door}({ functions }): expected an object of functions by name`);
  return new RunningLocalLambda(
    await JsonEndpoint.listen(options.port),
    options.region ?? 'us-east-1',
    options.accountId ?? '123456789012',
    { ...options.functions },
  );
}
