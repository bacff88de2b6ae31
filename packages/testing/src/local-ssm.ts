import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The parameter types SSM Parameter Store knows. */
export type LocalSsmParameterType = 'String' | 'StringList' | 'SecureString';

/** A parameter to seed: a string (`String`), an array (`StringList`) or an explicit type and value. */
export type LocalSsmParameterInput =
  | string
  | readonly string[]
  | { readonly type?: LocalSsmParameterType; readonly value: string | readonly string[] };

/** The SSM operations {@link startLocalSsm} implements. */
export type LocalSsmOperation =
  | 'GetParametersByPath'
  | 'GetParameter'
  | 'GetParameters'
  | 'PutParameter'
  | 'DeleteParameter';

/** Options of {@link startLocalSsm}. */
export interface LocalSsmOptions {
  /** Parameters present from the start, by full name (`/lambdakit/orders/db/host`). */
  parameters?: Readonly<Record<string, LocalSsmParameterInput>>;
  /** Port on 127.0.0.1 (default 0: a random free port). */
  port?: number;
  /** Region used in parameter ARNs and {@link LocalSsm.clientConfig} (default `us-east-1`). */
  region?: string;
  /** Account id used in parameter ARNs (default `123456789012`). */
  accountId?: string;
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
export interface LocalSsmRequest {
  /** The operation from `X-Amz-Target` (`GetParametersByPath`), or the raw target if unknown. */
  operation: string;
  /** The parsed JSON body (`undefined` if it was not JSON). */
  body: unknown;
  /** The HTTP status the server answered with. */
  status: number;
}

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
  /** Answers the next `count` requests (after any throttled ones) with `InternalServerError` and `status`. */
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

/** Thrown inside a handler to answer with the JSON 1.1 error shape. */
class SsmFault extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

const TYPES: ReadonlySet<string> = new Set(['String', 'StringList', 'SecureString']);
// SSM: names use letters, digits and `_ . - /`; hierarchies have at most 15 levels.
const NAME = /^[A-Za-z0-9_.\-/]+$/;
const MAX_DEPTH = 15;
const MAX_NAME_LENGTH = 2048;
// Standard-tier parameters hold at most 4 KB.
const MAX_VALUE_LENGTH = 4096;
const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Starts an HTTP server on 127.0.0.1 that speaks SSM Parameter Store's JSON 1.1 protocol
 * (`POST /`, `X-Amz-Target: AmazonSSM.<Operation>`), so the real `@aws-sdk/client-ssm` can talk
 * to it: pagination, SecureString, errors in the real shape, fault injection and request counts.
 */
export async function startLocalSsm(options: LocalSsmOptions = {}): Promise<LocalSsm> {
  const region = options.region ?? 'us-east-1';
  const accountId = options.accountId ?? '123456789012';
  const store = new Map<string, LocalSsmParameter>();
  const log: LocalSsmRequest[] = [];
  let throttled = 0;
  let failing = 0;
  let failStatus = 500;
  let latencyMs = 0;
  let gate: { promise: Promise<void>; open: () => void } | undefined;
  const resume = () => {
    gate?.open();
    gate = undefined;
  };

  const put = (name: string, type: LocalSsmParameterType, value: string, overwrite: boolean): number => {
    const existing = store.get(name);
    if (existing !== undefined && !overwrite) {
      throw new SsmFault(
        'ParameterAlreadyExists',
        'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.',
      );
    }
    const version = (existing?.version ?? 0) + 1;
    store.set(name, { name, type, value, version, lastModifiedDate: new Date() });
    return version;
  };

  const seed = (name: string, input: LocalSsmParameterInput): void => {
    const { type, value } = normalizeInput(input);
    validateName(name);
    validateValue(value);
    put(name, type, value, true);
  };
  for (const [name, input] of Object.entries(options.parameters ?? {})) seed(name, input);

  const toWire = (p: LocalSsmParameter, decrypt: boolean) => ({
    Name: p.name,
    Type: p.type,
    // SSM: without WithDecryption a SecureString comes back as its KMS ciphertext, never the plaintext.
    Value: p.type === 'SecureString' && !decrypt ? fakeCiphertext(p.value) : p.value,
    Version: p.version,
    LastModifiedDate: p.lastModifiedDate.getTime() / 1000,
    ARN: `arn:aws:ssm:${region}:${accountId}:parameter${p.name.startsWith('/') ? '' : '/'}${p.name}`,
    DataType: 'text',
  });

  const operations: Record<LocalSsmOperation, (input: Record<string, unknown>) => unknown> = {
    GetParametersByPath(input) {
      const path = requireString(input, 'Path');
      if (!path.startsWith('/'))
        throw validation(`Value '${path}' at 'path' failed to satisfy constraint: Member must start with /`);
      if (path.split('/').length - 1 > MAX_DEPTH)
        throw validation('The parameter path exceeds the maximum hierarchy depth of 15 levels.');
      const recursive = optionalBoolean(input, 'Recursive') ?? false;
      const decrypt = optionalBoolean(input, 'WithDecryption') ?? false;
      const maxResults = input.MaxResults ?? 10;
      if (typeof maxResults !== 'number' || !Number.isInteger(maxResults) || maxResults < 1 || maxResults > 10) {
        throw validation(
          `1 validation error detected: Value '${String(maxResults)}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 10`,
        );
      }
      const base = path === '/' ? '/' : `${path.replace(/\/+$/, '')}/`;
      const matches = [...store.values()]
        .filter((p) => p.name.startsWith(base) && (recursive || !p.name.slice(base.length).includes('/')))
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      const tokenInput = input.NextToken;
      let offset = 0;
      if (tokenInput !== undefined && tokenInput !== null) {
        offset = decodeToken(tokenInput, base, recursive);
      }
      const page = matches.slice(offset, offset + maxResults);
      const next = offset + page.length;
      return {
        Parameters: page.map((p) => toWire(p, decrypt)),
        ...(next < matches.length ? { NextToken: encodeToken(base, recursive, next) } : {}),
      };
    },
    GetParameter(input) {
      const name = requireString(input, 'Name');
      const found = store.get(name);
      if (found === undefined) throw new SsmFault('ParameterNotFound', `Parameter ${name} not found.`);
      return { Parameter: toWire(found, optionalBoolean(input, 'WithDecryption') ?? false) };
    },
    GetParameters(input) {
      const names = input.Names;
      if (!Array.isArray(names) || names.some((n) => typeof n !== 'string')) {
        throw validation(
          "1 validation error detected: Value at 'names' failed to satisfy constraint: Member must not be null",
        );
      }
      if (names.length < 1 || names.length > 10) {
        throw validation(
          `1 validation error detected: Value at 'names' failed to satisfy constraint: Member must have length less than or equal to 10`,
        );
      }
      const decrypt = optionalBoolean(input, 'WithDecryption') ?? false;
      const found: ReturnType<typeof toWire>[] = [];
      const invalid: string[] = [];
      for (const name of new Set(names as string[])) {
        const p = store.get(name);
        if (p === undefined) invalid.push(name);
        else found.push(toWire(p, decrypt));
      }
      return { Parameters: found, InvalidParameters: invalid };
    },
    PutParameter(input) {
      const name = requireString(input, 'Name');
      const value = requireString(input, 'Value');
      validateName(name);
      validateValue(value);
      const existing = store.get(name);
      const rawType = input.Type ?? existing?.type;
      if (rawType === undefined) throw validation('A parameter type is required when you create a parameter.');
      if (typeof rawType !== 'string' || !TYPES.has(rawType)) {
        throw validation(
          `1 validation error detected: Value '${String(rawType)}' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [SecureString, StringList, String]`,
        );
      }
      const overwrite = optionalBoolean(input, 'Overwrite') ?? false;
      const version = put(name, rawType as LocalSsmParameterType, value, overwrite);
      return { Version: version, Tier: 'Standard' };
    },
    DeleteParameter(input) {
      const name = requireString(input, 'Name');
      if (!store.delete(name)) throw new SsmFault('ParameterNotFound', `Parameter ${name} not found.`);
      return {};
    },
  };

  const answer = (res: ServerResponse, status: number, body: unknown): void => {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/x-amz-json-1.1',
      'content-length': Buffer.byteLength(text),
      'x-amzn-requestid': randomUUID(),
    });
    res.end(text);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const target = String(req.headers['x-amz-target'] ?? '');
    const operation = target.startsWith('AmazonSSM.') ? target.slice('AmazonSSM.'.length) : target;
    const entry: LocalSsmRequest = { operation, body: undefined, status: 0 };
    log.push(entry);
    // The latency in force when the request arrived applies, so a test can change it mid-flight.
    const delayMs = latencyMs;
    const respond = (status: number, body: unknown) => {
      entry.status = status;
      answer(res, status, body);
    };
    let raw: string;
    try {
      raw = await readBody(req);
    } catch {
      respond(413, { __type: 'SerializationException', message: 'Request body too large' });
      return;
    }
    // Parsed before faults are injected, so the request log shows what a faulted request asked for.
    let input: unknown;
    let parseFailed = false;
    try {
      input = raw === '' ? {} : JSON.parse(raw);
      entry.body = input;
    } catch {
      parseFailed = true;
    }
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs).unref());
    if (gate !== undefined) await gate.promise;
    if (throttled > 0) {
      throttled--;
      respond(400, { __type: 'ThrottlingException', message: 'Rate exceeded' });
      return;
    }
    if (failing > 0) {
      failing--;
      respond(failStatus, { __type: 'InternalServerError', message: 'An error occurred on the server side.' });
      return;
    }
    if (req.method !== 'POST' || !Object.hasOwn(operations, operation)) {
      respond(400, { __type: 'UnknownOperationException', message: `Unknown operation ${target}` });
      return;
    }
    if (parseFailed) {
      respond(400, {
        __type: 'SerializationException',
        message: 'Start of structure or map found where not expected.',
      });
      return;
    }
    if (input === null || typeof input !== 'object' || Array.isArray(input)) {
      respond(400, { __type: 'SerializationException', message: 'Expected a JSON object' });
      return;
    }
    try {
      respond(200, operations[operation as LocalSsmOperation](input as Record<string, unknown>));
    } catch (error) {
      if (error instanceof SsmFault) respond(error.status, { __type: error.type, message: error.message });
      else respond(500, { __type: 'InternalServerError', message: String(error) });
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) answer(res, 500, { __type: 'InternalServerError', message: 'local SSM failure' });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.unref();
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;

  return {
    endpoint,
    port,
    region,
    clientConfig: {
      endpoint,
      region,
      credentials: { accessKeyId: 'AKIDLOCALSSM', secretAccessKey: 'local-ssm-secret' },
    },
    get requests() {
      return log;
    },
    count(operation) {
      return operation === undefined ? log.length : log.filter((r) => r.operation === operation).length;
    },
    resetRequests() {
      log.length = 0;
    },
    throttle(count) {
      throttled = nonNegative(count, 'throttle');
    },
    fail(count, status = 500) {
      failing = nonNegative(count, 'fail');
      failStatus = status;
    },
    setLatency(ms) {
      latencyMs = nonNegative(ms, 'setLatency');
    },
    pause() {
      if (gate !== undefined) return;
      let open = () => {};
      const promise = new Promise<void>((resolve) => {
        open = resolve;
      });
      gate = { promise, open };
    },
    resume,
    clearFaults() {
      throttled = 0;
      failing = 0;
      latencyMs = 0;
      resume();
    },
    put: seed,
    delete: (name) => store.delete(name),
    get(name) {
      const p = store.get(name);
      return p === undefined ? undefined : { ...p };
    },
    close() {
      resume();
      return new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
    },
  };
}

function normalizeInput(input: LocalSsmParameterInput): { type: LocalSsmParameterType; value: string } {
  if (typeof input === 'string') return { type: 'String', value: input };
  if (isStringArray(input)) return { type: 'StringList', value: input.join(',') };
  const { value } = input;
  const type = input.type ?? (isStringArray(value) ? 'StringList' : 'String');
  if (!TYPES.has(type)) throw new TypeError(`startLocalSsm: unknown parameter type ${JSON.stringify(type)}`);
  return { type, value: isStringArray(value) ? value.join(',') : value };
}

function isStringArray(value: unknown): value is readonly string[] {
  return Array.isArray(value);
}

function validation(message: string): SsmFault {
  return new SsmFault('ValidationException', message);
}

function validateName(name: string): void {
  const segments = name.split('/');
  const hierarchical = name.includes('/');
  const bare = hierarchical ? segments[1] : name;
  if (
    name.length === 0 ||
    name.length > MAX_NAME_LENGTH ||
    !NAME.test(name) ||
    (hierarchical && (!name.startsWith('/') || name.endsWith('/') || name.includes('//'))) ||
    segments.length - 1 > MAX_DEPTH
  ) {
    throw validation(
      `Parameter name ${JSON.stringify(name)} is not valid: use letters, digits and _ . - /, at most 15 levels`,
    );
  }
  // SSM reserves names that begin with "aws" or "ssm", case-insensitively.
  if (bare !== undefined && /^(aws|ssm)/i.test(bare)) {
    throw validation('Parameter name: can\'t be prefixed with "aws" or "ssm" (case-insensitive).');
  }
}

function validateValue(value: string): void {
  if (value.length === 0)
    throw validation(
      "1 validation error detected: Value '' at 'value' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
  if (value.length > MAX_VALUE_LENGTH)
    throw validation('Standard tier parameters support a maximum parameter value of 4096 characters.');
}

function requireString(input: Record<string, unknown>, field: string): string {
  const value = input[field];
  if (typeof value !== 'string') {
    throw validation(
      `1 validation error detected: Value at '${field.charAt(0).toLowerCase()}${field.slice(1)}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return value;
}

function optionalBoolean(input: Record<string, unknown>, field: string): boolean | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw new SsmFault('SerializationException', `Expected a boolean for ${field}`);
  return value;
}

function encodeToken(base: string, recursive: boolean, offset: number): string {
  return Buffer.from(JSON.stringify({ base, recursive, offset })).toString('base64url');
}

function decodeToken(token: unknown, base: string, recursive: boolean): number {
  const invalid = new SsmFault('InvalidNextToken', "The specified token isn't valid.");
  if (typeof token !== 'string') throw invalid;
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw invalid;
  }
  const t = decoded as { base?: unknown; recursive?: unknown; offset?: unknown } | null;
  if (
    t === null ||
    typeof t !== 'object' ||
    t.base !== base ||
    t.recursive !== recursive ||
    typeof t.offset !== 'number' ||
    !Number.isSafeInteger(t.offset) ||
    t.offset < 0
  ) {
    throw invalid;
  }
  return t.offset;
}

/** Looks like a KMS ciphertext blob (base64, `AQICAH` header) and never contains the plaintext. */
function fakeCiphertext(plaintext: string): string {
  const bytes = Buffer.from(plaintext, 'utf8').map((b) => b ^ 0xa5);
  return `AQICAH${Buffer.concat([Buffer.from('local-kms'), bytes]).toString('base64')}`;
}

function nonNegative(n: number, what: string): number {
  if (!Number.isFinite(n) || n < 0) throw new RangeError(`LocalSsm.${what}: expected a non-negative number, got ${n}`);
  return n;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.destroy();
        reject(new Error('body too large'));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
