import { SSMClient } from '@aws-sdk/client-ssm';
import type { ConfigSource } from './config-source.js';
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
