import type { KMSClient } from '@aws-sdk/client-kms';
import { type ConfigStore, configStore, isSdkClient } from './config-store.js';
import { isKeySegment } from './config-tree.js';
import { decryptVariables, type EncryptedVariable, kmsSdk } from './decrypt-env.js';
import { regionKey, sharedClient } from './shared-client.js';
import { sourceFor } from './source-for.js';

/** Options of {@link encryptedEnv}. */
export interface EncryptedEnvOptions {
  /** The KMS client (default: one shared client per region, created on first decrypt). */
  client?: KMSClient | undefined;
}

const clients = new Map<string, Promise<KMSClient>>();
const newClient = async (region: string) => new (await kmsSdk()).KMSClient({ region, maxAttempts: 1 });
// Lambda: environment variable names are letters, digits and underscores, starting with a letter.
const VARIABLE = /^[A-Za-z][A-Za-z0-9_]*$/;

/**
 * KMS-encrypted environment variables as a store of `config({ sources })`, by the config key each
 * sets: `encryptedEnv({ 'db.password': 'DB_PASSWORD' })`. The value is what Lambda's console
 * encryption helper writes (base64 ciphertext, encryption context `{ LambdaFunctionName }`),
 * decrypted once per sandbox; a variable that is not set leaves its key to the other stores. With
 * `source: 'env'` (local runs, no AWS call) a variable is read as it is: put the plaintext there.
 */
export function encryptedEnv(
  variables: Readonly<Record<string, string>>,
  options: EncryptedEnvOptions = {},
): ConfigStore {
  const door = 'encryptedEnv';
  if (variables === null || typeof variables !== 'object' || Array.isArray(variables)) {
    throw new TypeError(
      `${door}(variables): expected an object of config key paths to variable names, e.g. { "db.password": "DB_PASSWORD" }, got ${String(variables)}`,
    );
  }
  const mapped = Object.entries(variables).map(([key, variable]) => {
    const path = key.split('.');
    if (!path.every(isKeySegment)) {
      throw new TypeError(`${door}(variables): expected config key paths such as "db.password", got "${key}"`);
    }
    if (typeof variable !== 'string' || !VARIABLE.test(variable)) {
      throw new TypeError(
        `${door}(variables): expected an environment variable name for "${key}", got ${String(variable)}`,
      );
    }
    return { path, variable };
  });
  const { client } = options ?? {};
  if (client !== undefined && !isSdkClient(client)) {
    throw new TypeError(`${door}(variables, { client }): expected a KMSClient, got ${String(client)}`);
  }
  const present = (env: Readonly<Record<string, string | undefined>>): EncryptedVariable[] =>
    mapped.flatMap(({ path, variable }) => {
      const ciphertext = env[variable];
      return ciphertext === undefined || ciphertext === '' ? [] : [{ path, variable, ciphertext }];
    });
  return configStore({
    store: 'kms',
    keyPaths: mapped.map(({ path }) => path),
    plain: (env) =>
      present(env).map(({ path, variable, ciphertext }) => ({
        path,
        value: ciphertext,
        origin: variable,
        source: 'env' as const,
        secret: true,
      })),
    source({ region, path, functionName, env }) {
      const found = present(env);
      if (found.length === 0) return undefined;
      const key = `kms:${path}:${functionName}:${JSON.stringify(found.map((v) => [v.path, v.variable, v.ciphertext]))}`;
      return sourceFor(client ?? regionKey(region), key, () => ({
        path,
        describe: `the KMS-encrypted variable(s) ${found.map((v) => v.variable).join(', ')}`,
        store: 'kms',
        // A sandbox's environment never changes: decrypted once.
        refreshes: false,
        fetch: async (signal) => {
          const kms = client ?? (await sharedClient(clients, region, newClient));
          return decryptVariables(kms, path, functionName, found, signal);
        },
      }));
    },
  });
}
