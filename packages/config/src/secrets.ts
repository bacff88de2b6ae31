import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ConfigError } from './config-error.js';
import { type ConfigStore, configStore, isSdkClient } from './config-store.js';
import { fetchSecrets, secretsSdk } from './fetch-secrets.js';
import {
  type ExtensionAddress,
  extensionAddress,
  extensionKey,
  fetchSecretsViaExtension,
} from './fetch-via-extension.js';
import { regionKey, sharedClient } from './shared-client.js';
import { sourceFor } from './source-for.js';

/** Options of {@link secrets}. */
export interface SecretsOptions {
  /** The Secrets Manager client (default: one shared client per region, created on first read). */
  client?: SecretsManagerClient | undefined;
  /**
   * How secrets are read: `'sdk'` (`BatchGetSecretValue` through the client), `'extension'`
   * (Lambda's Parameters and Secrets extension on `localhost`, its cache in front of
   * `GetSecretValue`), or `'auto'` (default): the extension when the function has its layer
   * (or `PARAMETERS_SECRETS_EXTENSION_HTTP_PORT` is set), the SDK otherwise.
   */
  transport?: 'auto' | 'sdk' | 'extension' | undefined;
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
  const { client, transport = 'auto' } = options;
  if (client !== undefined && !isSdkClient(client)) {
    throw new TypeError(`secrets({ client }): expected a SecretsManagerClient, got ${String(client)}`);
  }
  if (transport !== 'auto' && transport !== 'sdk' && transport !== 'extension') {
    throw new TypeError(`secrets({ transport }): expected "auto", "sdk" or "extension", got ${String(transport)}`);
  }
  return configStore({
    store: 'secrets',
    keyPaths: [],
    plain: () => [],
    source({ region, path, qualifier, env }) {
      const extension = transport === 'sdk' ? undefined : extensionAddress(env, transport === 'extension');
      if (extension === undefined && transport === 'extension') {
        throw new ConfigError(
          'CONFIG_LOAD_FAILED',
          'secrets({ transport: "extension" }): the Parameters and Secrets extension needs AWS_SESSION_TOKEN (Lambda sets it) and a valid PARAMETERS_SECRETS_EXTENSION_HTTP_PORT',
          { path },
        );
      }
      if (extension !== undefined) return extensionSource(extension, path, qualifier);
      return sourceFor(client ?? regionKey(region), `secrets:${path}`, () => ({
        path,
        describe: `the secrets of ${path} in Secrets Manager`,
        store: 'secrets',
        refreshes: true,
        fetch: async (signal) => fetchSecrets(client ?? (await sharedClient(clients, region, newClient)), path, signal),
      }));
    },
  });
}

/**
 * The secrets of one function and qualifier read through the extension: one source per qualifier
 * (the extension serves one secret by name), the base secret read with each; refreshed like the
 * SDK's, within what the extension's own cache (`SECRETS_MANAGER_TTL`, 300 s by default) serves.
 */
function extensionSource(extension: ExtensionAddress, path: string, qualifier: string | undefined) {
  return sourceFor(extensionKey(extension), `secrets-extension:${path}:${qualifier ?? ''}`, () => ({
    path,
    describe: `the secrets of ${path} through the Parameters and Secrets extension`,
    store: 'secrets',
    refreshes: true,
    fetch: (signal) => fetchSecretsViaExtension(extension, path, qualifier, signal),
  }));
}
