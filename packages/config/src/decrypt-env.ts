import type { KMSClient } from '@aws-sdk/client-kms';
import { ConfigError, describeError } from './config-error.js';
import type { RawParameter } from './config-tree.js';

/** How a decrypted variable is typed among the parameters of a snapshot. */
export const ENCRYPTED_ENV_TYPE = 'KmsEncryptedVariable';

/** The client package, loaded when a function first decrypts a variable (it is not loaded otherwise). */
export async function kmsSdk(): Promise<typeof import('@aws-sdk/client-kms')> {
  try {
    return await import('@aws-sdk/client-kms');
  } catch (error) {
    throw new ConfigError(
      'CONFIG_LOAD_FAILED',
      'Decrypting environment variables needs @aws-sdk/client-kms (the Lambda Node.js runtime provides it; install it to run elsewhere)',
      { cause: error },
    );
  }
}

/** One KMS-encrypted variable to decrypt: the config key it sets and the variable it is read from. */
export interface EncryptedVariable {
  /** The key path (`['db', 'password']`). */
  readonly path: readonly string[];
  readonly variable: string;
  /** The variable's value: the base64 ciphertext. */
  readonly ciphertext: string;
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Decrypts the variables Lambda's console encryption helper produced: base64 KMS ciphertext
 * encrypted with the context `{ LambdaFunctionName: functionName }`. One `Decrypt` per variable,
 * in parallel; each plaintext becomes a parameter named like an SSM one (`{path}/db/password`),
 * marked secret. A variable that does not decrypt is a {@link ConfigError} naming it, never its value.
 */
export async function decryptVariables(
  client: KMSClient,
  path: string,
  functionName: string,
  variables: readonly EncryptedVariable[],
  signal: AbortSignal | undefined,
): Promise<RawParameter[]> {
  const { DecryptCommand } = await kmsSdk();
  const context = { LambdaFunctionName: functionName };
  return Promise.all(
    variables.map(async ({ path: keys, variable, ciphertext }) => {
      const blob = ciphertext.trim();
      if (blob.length % 4 !== 0 || !BASE64.test(blob)) {
        throw new ConfigError(
          'CONFIG_INVALID',
          `Environment variable ${variable} is not KMS ciphertext (expected base64, as Lambda's encryption helpers write it)`,
          {
            path,
            issues: [
              {
                key: keys.join('.'),
                path: [...keys],
                parameter: variable,
                source: 'env',
                message: 'not base64 ciphertext',
              },
            ],
          },
        );
      }
      let plaintext: Uint8Array | undefined;
      try {
        const out = await client.send(
          new DecryptCommand({ CiphertextBlob: Buffer.from(blob, 'base64'), EncryptionContext: context }),
          signal === undefined ? {} : { abortSignal: signal },
        );
        plaintext = out.Plaintext;
      } catch (error) {
        throw decryptFailed(variable, functionName, error);
      }
      if (plaintext === undefined) throw decryptFailed(variable, functionName, new Error('KMS returned no plaintext'));
      return {
        name: `${path}/${keys.join('/')}`,
        type: ENCRYPTED_ENV_TYPE,
        value: Buffer.from(plaintext).toString('utf8'),
        secret: true,
        origin: variable,
      } satisfies RawParameter;
    }),
  );
}

function decryptFailed(variable: string, functionName: string, error: unknown): Error {
  const name = (error as { name?: unknown } | null)?.name;
  // Throttling and 5xx are retried by the caller's policy: keep the SDK's error as it is for it.
  if (name !== 'InvalidCiphertextException' && name !== 'IncorrectKeyException') return error as Error;
  return new ConfigError(
    'CONFIG_LOAD_FAILED',
    `Could not decrypt environment variable ${variable} with KMS (encryption context LambdaFunctionName=${functionName}): ${describeError(error)}. The ciphertext was made for another function, another context or another key, or it was altered`,
    { cause: error },
  );
}
