import type { KMSClient } from '@aws-sdk/client-kms';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { ConfigSource } from './config-source.js';
import { decryptVariables, type EncryptedVariable, kmsSdk } from './decrypt-env.js';
import { fetchSecrets, secretsSdk } from './fetch-secrets.js';
import { sourceFor } from './source-for.js';

// What a region's shared client is cached under before the client exists (it is created on first read).
const regionKeys = new Map<string, object>();
const secretsClients = new Map<string, Promise<SecretsManagerClient>>();
const kmsClients = new Map<string, Promise<KMSClient>>();

function regionKey(region: string): object {
  let key = regionKeys.get(region);
  if (key === undefined) {
    key = Object.freeze({ region });
    regionKeys.set(region, key);
  }
  return key;
}

/**
 * The region's shared client, created on first use with the SDK's retries off (lambdakit retries
 * within the invocation's deadline), its package loaded then: a function that reads no secret
 * never loads it. A failed load (the package missing) is not kept: the next read tries again.
 */
function sharedClient<C>(
  clients: Map<string, Promise<C>>,
  region: string,
  create: (region: string) => Promise<C>,
): Promise<C> {
  let client = clients.get(region);
  if (client === undefined) {
    client = create(region);
    client.catch(() => clients.delete(region));
    clients.set(region, client);
  }
  return client;
}

const newSecretsClient = async (region: string) =>
  new (await secretsSdk()).SecretsManagerClient({ region, maxAttempts: 1 });
const newKmsClient = async (region: string) => new (await kmsSdk()).KMSClient({ region, maxAttempts: 1 });

/**
 * The Secrets Manager source of one function (`path`: the secret `path` and those below it), read
 * through `client` or the region's shared client, refreshed like SSM's.
 */
export function secretsSource(client: SecretsManagerClient | undefined, region: string, path: string): ConfigSource {
  return sourceFor(client ?? regionKey(region), `secrets:${path}`, () => ({
    path,
    describe: `the secrets of ${path} in Secrets Manager`,
    store: 'secrets',
    refreshes: true,
    fetch: async (signal) =>
      fetchSecrets(client ?? (await sharedClient(secretsClients, region, newSecretsClient)), path, signal),
  }));
}

/**
 * The source of a function's KMS-encrypted variables: decrypted once per sandbox (environment
 * variables never change while it lives), through `client` or the region's shared KMS client.
 */
export function encryptedSource(
  client: KMSClient | undefined,
  region: string,
  path: string,
  functionName: string,
  variables: readonly EncryptedVariable[],
): ConfigSource {
  const key = `kms:${path}:${functionName}:${JSON.stringify(variables.map((v) => [v.path, v.variable, v.ciphertext]))}`;
  return sourceFor(client ?? regionKey(region), key, () => ({
    path,
    describe: `the KMS-encrypted variable(s) ${variables.map((v) => v.variable).join(', ')}`,
    store: 'kms',
    refreshes: false,
    fetch: async (signal) => {
      const kms = client ?? (await sharedClient(kmsClients, region, newKmsClient));
      return decryptVariables(kms, path, functionName, variables, signal);
    },
  }));
}
