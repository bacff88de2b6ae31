import { SSMClient } from '@aws-sdk/client-ssm';
import type { ConfigSource } from './config-source.js';
import { type ConfigStore, configStore, isSdkClient } from './config-store.js';
import { fetchParameters } from './fetch-parameters.js';
import { sourceFor } from './source-for.js';

/** The SSM source for `path` read through `client`, with or without decryption (each changes what comes back). */
export function configSource(client: SSMClient, path: string, decrypt: boolean): ConfigSource {
  return sourceFor(client, `ssm:${decrypt ? 'decrypted' : 'raw'}:${path}`, () => ({
    path,
    describe: `SSM path ${path}`,
    store: 'ssm',
    refreshes: true,
    fetch: (signal) => fetchParameters(client, path, decrypt, signal),
  }));
}

const defaultClients = new Map<string, SSMClient>();

/**
 * The shared SSM client for a region, created on first use. The SDK's own retries are off
 * (`maxAttempts: 1`): lambdakit retries itself so that backoff respects the invocation's deadline.
 */
export function defaultClient(region: string): SSMClient {
  let client = defaultClients.get(region);
  if (client === undefined) {
    client = new SSMClient({ region, maxAttempts: 1 });
    defaultClients.set(region, client);
  }
  return client;
}

/** Options of {@link ssm}. */
export interface SsmOptions {
  /** The SSM client (default: the `client` option, else one shared client per region). */
  client?: SSMClient | undefined;
  /** Read SecureString parameters decrypted (default: the `decrypt` option, else `true`). */
  decrypt?: boolean | undefined;
}

/**
 * SSM Parameter Store as a store of `config({ sources })`: the tree `{prefix}/{functionName}`, read
 * with `GetParametersByPath`. The default when `sources` is not given (with the top-level `client`
 * and `decrypt` options).
 */
export function ssm(options: SsmOptions = {}): ConfigStore {
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`ssm(options): expected an object of options, got ${String(options)}`);
  }
  const { client, decrypt } = options;
  if (client !== undefined && !isSdkClient(client)) {
    throw new TypeError(`ssm({ client }): expected an SSMClient, got ${String(client)}`);
  }
  if (decrypt !== undefined && typeof decrypt !== 'boolean') {
    throw new TypeError(`ssm({ decrypt }): expected a boolean, got ${String(decrypt)}`);
  }
  return configStore({
    store: 'ssm',
    keyPaths: [],
    plain: () => [],
    source: ({ region, path, ssmDefaults }) =>
      configSource(client ?? ssmDefaults.client ?? defaultClient(region), path, decrypt ?? ssmDefaults.decrypt),
  });
}
