import { existsSync } from 'node:fs';
import { request } from 'node:http';
import type { RawParameter } from './config-tree.js';
import { secretParameters } from './fetch-secrets.js';

/** Where Lambda's Parameters and Secrets extension listens, and how a request proves it comes from the function. */
export interface ExtensionAddress {
  readonly port: number;
  readonly token: string;
}

// The extension's binary, where its layer puts it.
const EXTENSION_FILE = '/opt/extensions/AWSParametersAndSecretsLambdaExtension';
let installed: boolean | undefined;

/**
 * Lambda's Parameters and Secrets extension, when the function has it: its port
 * (`PARAMETERS_SECRETS_EXTENSION_HTTP_PORT`, default 2773) and the token its requests carry
 * (`AWS_SESSION_TOKEN`). `undefined` when the layer is absent (`force`: the user asked for it,
 * so only the token is required).
 */
export function extensionAddress(
  env: Readonly<Record<string, string | undefined>>,
  force: boolean,
): ExtensionAddress | undefined {
  const port = env.PARAMETERS_SECRETS_EXTENSION_HTTP_PORT;
  if (!force && port === undefined) {
    installed ??= existsSync(EXTENSION_FILE);
    if (!installed) return undefined;
  }
  const token = env.AWS_SESSION_TOKEN;
  if (token === undefined || token === '') return undefined;
  const parsed = port === undefined ? 2773 : Number(port);
  return Number.isInteger(parsed) && parsed > 0 && parsed < 65536 ? { port: parsed, token } : undefined;
}

/** What the extension answered other than a value: an error the retry policy reads like the SDK's. */
export class ExtensionError extends Error {
  override readonly name = 'ParametersSecretsExtensionError';
  readonly $metadata: { httpStatusCode: number };
  /** `what`: `secret /lambdakit/orders`, `parameter /lambdakit/orders/currency`. */
  constructor(status: number, body: string, what: string) {
    super(`the Parameters and Secrets extension answered ${status} for ${what}: ${body.slice(0, 200)}`);
    this.$metadata = { httpStatusCode: status };
  }
}

/** One GET of the extension's local API (`path` with its query), with the token it requires. */
export function extensionGet(address: ExtensionAddress, path: string, signal: AbortSignal | undefined) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: address.port,
        path,
        headers: { 'X-Aws-Parameters-Secrets-Token': address.token },
        ...(signal === undefined ? {} : { signal }),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/**
 * A function's secrets through Lambda's Parameters and Secrets extension (its local cache of
 * `GetSecretValue`): the secret `path`, and `{path}/{qualifier}` when a qualifier is given; a
 * secret that does not exist is absent, as with the SDK. The extension serves one secret by name,
 * so qualifiers are read one by one, as invocations ask for them.
 */
export async function fetchSecretsViaExtension(
  address: ExtensionAddress,
  path: string,
  qualifier: string | undefined,
  signal: AbortSignal | undefined,
): Promise<RawParameter[]> {
  const names = qualifier === undefined ? [path] : [path, `${path}/${qualifier}`];
  const budget = { bytes: 0 };
  const read = await Promise.all(
    names.map((name) =>
      extensionGet(address, `/secretsmanager/get?secretId=${encodeURIComponent(name)}`, signal).then((answer) => ({
        name,
        answer,
      })),
    ),
  );
  const parameters: RawParameter[] = [];
  for (const { name, answer } of read) {
    if (answer.status === 400 && answer.body.includes('ResourceNotFoundException')) continue;
    if (answer.status !== 200) throw new ExtensionError(answer.status, answer.body, `secret ${name}`);
    let secret: { SecretString?: unknown; SecretBinary?: unknown };
    try {
      secret = JSON.parse(answer.body) as typeof secret;
    } catch {
      throw new ExtensionError(502, 'not JSON', `secret ${name}`);
    }
    const text = typeof secret.SecretString === 'string' ? secret.SecretString : undefined;
    const binary = typeof secret.SecretBinary === 'string' ? Buffer.from(secret.SecretBinary, 'base64') : undefined;
    parameters.push(...secretParameters(name, text, binary, path, budget));
  }
  return parameters;
}

const extensionKeys = new Map<string, object>();

/** One key object per extension address, so sources read through it are shared. */
export function extensionKey({ port, token }: ExtensionAddress): object {
  const id = `${port}:${token}`;
  let key = extensionKeys.get(id);
  if (key === undefined) {
    key = Object.freeze({ port });
    extensionKeys.set(id, key);
  }
  return key;
}
