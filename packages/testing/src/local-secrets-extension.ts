import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkOption, checkOptions, isPort, isText } from './check-option.js';
import type { LocalSecretsManager } from './local-secrets.js';
import type { LocalSsm } from './local-ssm-types.js';

/** Options of `startLocalSecretsExtension()`. */
export interface StartLocalSecretsExtensionOptions {
  /** The local Secrets Manager it reads secrets from (`/secretsmanager/get`). */
  secretsManager?: LocalSecretsManager | undefined;
  /** The local SSM it reads parameters from (`/systemsmanager/parameters/get`), through its API. */
  ssm?: LocalSsm | undefined;
  /** The token every request must carry in `X-Aws-Parameters-Secrets-Token` (Lambda: `AWS_SESSION_TOKEN`). Default `local-session-token`. */
  token?: string | undefined;
  /** How long a value is served from the cache, as the extension's `SECRETS_MANAGER_TTL` (default 300). */
  ttlSeconds?: number | undefined;
  /** Port on 127.0.0.1 (default 0: a random free port; the real extension listens on 2773). */
  port?: number | undefined;
}

/** One request the local extension received. */
export interface LocalSecretsExtensionRequest {
  readonly path: string;
  readonly status: number;
  /** Whether it was answered from the cache (no read of the local service). */
  readonly cached: boolean;
}

/**
 * A running emulation of Lambda's Parameters and Secrets extension: `endpoint`, and the variables
 * a function's environment needs (`PARAMETERS_SECRETS_EXTENSION_HTTP_PORT`, `AWS_SESSION_TOKEN`).
 */
export interface LocalSecretsExtension {
  readonly endpoint: string;
  readonly port: number;
  readonly env: Readonly<Record<string, string>>;
  readonly requests: readonly LocalSecretsExtensionRequest[];
  /** Forgets every cached value, as a new sandbox's extension starts empty. */
  clearCache(): void;
  close(): Promise<void>;
}

interface Cached {
  readonly status: number;
  readonly body: unknown;
  readonly until: number;
}

/**
 * Starts an HTTP server on 127.0.0.1 that answers as the secrets side of Lambda's Parameters and
 * Secrets extension does: `GET /secretsmanager/get?secretId=…[&versionStage=…]` with the body of
 * `GetSecretValue`, from `secretsManager`, each value cached for `ttlSeconds` (so a rotation is
 * seen only when its entry expires, as in Lambda). A request without the token header is refused
 * (401), one with `X-Forwarded-For` too (403); a missing secret is a 400 naming it. Its Parameter
 * Store side answers `GET /systemsmanager/parameters/get?name=…[&withDecryption=true]` with the body
 * of `GetParameter`, read from `ssm` through its API (so its faults and SecureString rules apply).
 */
export async function startLocalSecretsExtension(
  options: StartLocalSecretsExtensionOptions = {},
): Promise<LocalSecretsExtension> {
  const door = 'startLocalSecretsExtension';
  checkOptions(door, options);
  checkOption(door, 'token', options.token, isText);
  checkOption(door, 'port', options.port, isPort);
  const ttl = options.ttlSeconds ?? 300;
  if (typeof ttl !== 'number' || !(ttl >= 0)) {
    throw new TypeError(`${door}({ ttlSeconds }): expected a number of seconds, at least 0, got ${String(ttl)}`);
  }
  const token = options.token ?? 'local-session-token';
  const cache = new Map<string, Cached>();
  const log: LocalSecretsExtensionRequest[] = [];
  const read = async (url: URL): Promise<{ status: number; body: unknown }> => {
    if (url.pathname === '/secretsmanager/get') return readSecret(options.secretsManager, url);
    if (url.pathname === '/systemsmanager/parameters/get') return readParameter(options.ssm, url);
    return { status: 404, body: { message: `unknown path ${url.pathname}` } };
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const answer = (status: number, body: unknown, cached: boolean) => {
      log.push({ path: `${url.pathname}${url.search}`, status, cached });
      const text = typeof body === 'string' ? body : JSON.stringify(body);
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    };
    if (req.method !== 'GET') return answer(405, { message: 'only GET is served' }, false);
    if (req.headers['x-forwarded-for'] !== undefined)
      return answer(403, { message: 'X-Forwarded-For is refused' }, false);
    if (req.headers['x-aws-parameters-secrets-token'] !== token) {
      return answer(401, { message: 'missing or invalid X-Aws-Parameters-Secrets-Token' }, false);
    }
    const key = `${url.pathname}?${[...url.searchParams].sort().join('&')}`;
    const hit = cache.get(key);
    if (hit !== undefined && hit.until > Date.now()) return answer(hit.status, hit.body, true);
    read(url).then(
      ({ status, body }) => {
        if (status === 200) cache.set(key, { status, body, until: Date.now() + ttl * 1000 });
        answer(status, body, false);
      },
      (error: unknown) => answer(502, { message: `the local service failed: ${String(error)}` }, false),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.unref();
  return running(server, token, log, cache);
}

function running(
  server: Server,
  token: string,
  log: LocalSecretsExtensionRequest[],
  cache: Map<string, Cached>,
): LocalSecretsExtension {
  const port = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    env: { PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: String(port), AWS_SESSION_TOKEN: token },
    requests: log,
    clearCache: () => cache.clear(),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function readSecret(local: LocalSecretsManager | undefined, url: URL): { status: number; body: unknown } {
  const id = url.searchParams.get('secretId');
  if (local === undefined || id === null || id === '') {
    return { status: 400, body: { message: 'secretId is required (and a local Secrets Manager to read it from)' } };
  }
  const stage = url.searchParams.get('versionStage') ?? 'AWSCURRENT';
  const version = local.get(id, stage);
  if (version === undefined) {
    return { status: 400, body: `ResourceNotFoundException: Secrets Manager can't find the specified secret ${id}` };
  }
  return {
    status: 200,
    body: {
      Name: id,
      VersionId: version.versionId,
      VersionStages: version.stages,
      ...(typeof version.value === 'string'
        ? { SecretString: version.value }
        : { SecretBinary: version.value.toString('base64') }),
    },
  };
}

/** `GetParameter` on the local SSM, as the extension makes it (one parameter by name), its answer passed on. */
async function readParameter(local: LocalSsm | undefined, url: URL): Promise<{ status: number; body: unknown }> {
  const name = url.searchParams.get('name');
  if (local === undefined || name === null || name === '') {
    return { status: 400, body: { message: 'name is required (and a local SSM to read it from)' } };
  }
  const response = await fetch(local.endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AmazonSSM.GetParameter' },
    body: JSON.stringify({ Name: name, WithDecryption: url.searchParams.get('withDecryption') === 'true' }),
  });
  const body = (await response.json()) as { __type?: string; message?: string };
  if (response.ok) return { status: 200, body };
  // The extension answers a service error with the service's status and its error, as text.
  const type = String(body.__type ?? 'Error')
    .split('#')
    .pop();
  return { status: response.status, body: `${type}: ${body.message ?? ''}` };
}
