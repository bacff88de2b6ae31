import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { type ConfigStore, configStore, isSdkClient } from './config-store.js';
import { fetchSecrets, secretsSdk } from './fetch-secrets.js';
import { regionKey, sharedClient } from './shared-client.js';
import { sourceFor } from './source-for.js';

/** Options of {@link secrets}. */
export interface SecretsOptions {
  /** The Secrets Manager client (default: one shared client per region, created on first read). */
  client?: SecretsManagerClient | undefined;
}

const clients = new Map<string, Promise<SecretsManagerClient>>();
const newClient = async (region: string) => new (await secretsSdk()).SecretsManagerClient({ region, maxAttempts: 1 });

/**
 * Secrets Manager as a store of `config({ sources })`: the secret `{prefix}/{functionName}` and
 * each qualifier's `{prefix}/{functionName}/{qualifier}`, JSON objects laid out as the SSM tree,
 * read in one paged `BatchGetSecretValue` and refreshed like SSM. Every value read is a secret:
 * never printed by lambdakit's logger, `[secret]` when the config is serialised.
 */
export function secrets(options: SecretsOptions = {}): ConfigStore {
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`secrets(options): expected an object of options, got ${String(options)}`);
  }
  const { client } = options;
  if (client !== undefined && !isSdkClient(client)) {
    throw new TypeError(`secrets({ client }): expected a SecretsManagerClient, got ${String(client)}`);
  }
  return configStore({
    store: 'secrets',
    keyPaths: [],
    plain: () => [],
    source: ({ region, path }) =>
      sourceFor(client ?? regionKey(region), `secrets:${path}`, () => ({
        path,
        describe: `the secrets of ${path} in Secrets Manager`,
        store: 'secrets',
        refreshes: true,
        fetch: async (signal) => fetchSecrets(client ?? (await sharedClient(clients, region, newClient)), path, signal),
      })),
  });
}
