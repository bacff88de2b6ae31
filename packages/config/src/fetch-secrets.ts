import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ConfigError } from './config-error.js';
import type { RawParameter } from './config-tree.js';
import { MAX_CONFIG_BYTES, MAX_PARAMETERS } from './fetch-parameters.js';

/** Secrets Manager: `BatchGetSecretValue` returns at most 20 secrets per page. */
const PAGE_SIZE = 20;
/** Secrets Manager's own limit on a secret value. */
export const MAX_SECRET_BYTES = 65_536;
/** The deepest nesting of a secret's JSON object that becomes config keys (SSM's own hierarchy limit). */
export const MAX_SECRET_DEPTH = 15;
/** How a secret's value is typed among the parameters of a snapshot. */
export const SECRET_TYPE = 'SecretsManager';

/** The client package, loaded when a function first reads a secret (it is not loaded otherwise). */
export async function secretsSdk(): Promise<typeof import('@aws-sdk/client-secrets-manager')> {
  try {
    return await import('@aws-sdk/client-secrets-manager');
  } catch (error) {
    throw new ConfigError(
      'CONFIG_LOAD_FAILED',
      'Reading secrets needs @aws-sdk/client-secrets-manager (the Lambda Node.js runtime provides it; install it to run elsewhere)',
      { cause: error },
    );
  }
}

/**
 * Reads the secrets of one function: the secret named `path` and every secret below it
 * (`{path}/{qualifier}`), in one paged `BatchGetSecretValue` with a name filter. Each secret
 * holds a JSON object; its leaves become parameters named as SSM would name them
 * (`{secret}/{key}/{key}`), so one tree builder serves both. Within the limits of
 * {@link MAX_SECRET_BYTES}, {@link MAX_SECRET_DEPTH} and the configuration's; a secret that
 * cannot be read is a {@link ConfigError} naming it.
 */
export async function fetchSecrets(
  client: SecretsManagerClient,
  path: string,
  signal: AbortSignal | undefined,
): Promise<RawParameter[]> {
  const { BatchGetSecretValueCommand } = await secretsSdk();
  const parameters: RawParameter[] = [];
  const budget = { bytes: 0 };
  let token: string | undefined;
  do {
    const page = await client.send(
      new BatchGetSecretValueCommand({
        Filters: [{ Key: 'name', Values: [path] }],
        MaxResults: PAGE_SIZE,
        ...(token === undefined ? {} : { NextToken: token }),
      }),
      signal === undefined ? {} : { abortSignal: signal },
    );
    // The name filter is a prefix match: `/lambdakit/orders` also matches `/lambdakit/orders-v2`.
    const ours = (name: string | undefined) => name === path || name?.startsWith(`${path}/`) === true;
    const failed = (page.Errors ?? []).find((e) => e.SecretId === undefined || ours(nameOf(e.SecretId)));
    if (failed !== undefined) {
      throw new ConfigError(
        'CONFIG_LOAD_FAILED',
        `Could not read secret ${failed.SecretId ?? '(unnamed)'} of ${path}: ${failed.ErrorCode ?? 'error'}: ${failed.Message ?? ''}`.trim(),
        { path, cause: Object.assign(new Error(failed.Message ?? ''), { name: failed.ErrorCode ?? 'Error' }) },
      );
    }
    for (const secret of page.SecretValues ?? []) {
      if (!ours(secret.Name)) continue;
      parameters.push(
        ...secretParameters(secret.Name as string, secret.SecretString, secret.SecretBinary, path, budget),
      );
      if (parameters.length > MAX_PARAMETERS) {
        throw tooLarge(path, `its secrets hold more than ${MAX_PARAMETERS} values`);
      }
    }
    if (page.NextToken !== undefined && page.NextToken === token) {
      throw new Error(`Secrets Manager returned the same NextToken twice for ${path}`);
    }
    token = page.NextToken;
  } while (token !== undefined);
  return parameters;
}

/** A secret's name from a `SecretId` that may be its ARN (`…:secret:{name}-AbCdEf`). */
function nameOf(secretId: string): string {
  const arn = /^arn:[^:]+:secretsmanager:[^:]*:[^:]*:secret:(.+)-[A-Za-z0-9]{6}$/.exec(secretId);
  return arn?.[1] ?? secretId;
}

/** The leaves of one secret's JSON object as parameters, with the secret named on every mistake (`budget` counts bytes across secrets). */
export function secretParameters(
  name: string,
  text: string | undefined,
  binary: Uint8Array | undefined,
  path: string,
  budget: { bytes: number },
): RawParameter[] {
  const invalid = (why: string) =>
    new ConfigError('CONFIG_INVALID', `Secret ${name} cannot be read as configuration: ${why}`, {
      path,
      issues: [{ key: '', path: [], parameter: name, source: name === path ? 'base' : 'override', message: why }],
    });
  if (text === undefined) {
    throw invalid(
      binary === undefined ? 'it has no value' : 'it is binary (SecretBinary); store a JSON object as SecretString',
    );
  }
  const size = Buffer.byteLength(text);
  if (size > MAX_SECRET_BYTES)
    throw tooLarge(path, `secret ${name} is ${size} bytes; a secret is at most ${MAX_SECRET_BYTES}`);
  budget.bytes += size;
  if (budget.bytes > MAX_CONFIG_BYTES) throw tooLarge(path, `its values add up to more than ${MAX_CONFIG_BYTES} bytes`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // Never the text itself: it is the secret.
    throw invalid('its SecretString is not JSON; store a JSON object such as {"password":"…"}');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw invalid(`its SecretString is JSON ${Array.isArray(value) ? 'array' : typeof value}, not an object of keys`);
  }
  const out: RawParameter[] = [];
  const walk = (node: Record<string, unknown>, keys: readonly string[]) => {
    if (keys.length >= MAX_SECRET_DEPTH) throw invalid(`it nests objects deeper than ${MAX_SECRET_DEPTH} levels`);
    for (const [key, child] of Object.entries(node)) {
      const at = [...keys, key];
      // An empty object is a branch with nothing in it; leaves are every other JSON value.
      if (child !== null && typeof child === 'object' && !Array.isArray(child)) {
        walk(child as Record<string, unknown>, at);
      } else {
        out.push({
          name: `${name}/${at.join('/')}`,
          type: SECRET_TYPE,
          value: child as RawParameter['value'],
          secret: true,
          origin: `${name}#${at.join('.')}`,
        });
      }
    }
  };
  walk(value as Record<string, unknown>, []);
  return out;
}

function tooLarge(path: string, why: string): ConfigError {
  return new ConfigError('CONFIG_TOO_LARGE', `The secrets of ${path} are too large: ${why}`, { path });
}
