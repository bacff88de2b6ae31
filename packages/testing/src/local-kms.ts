import type { Server } from 'node:http';
import { checkOption, checkOptions, isAccountId, isPort, isText } from './check-option.js';
import { JsonEndpoint, type JsonOperations, type LocalEndpoint, type LocalRequest } from './json-endpoint.js';
import { type EncryptionContext, KmsStore } from './kms-store.js';
import { ServiceError } from './service-error.js';

/** The KMS operations the local endpoint implements. */
export type LocalKmsOperation =
  | 'CreateKey'
  | 'CreateAlias'
  | 'DescribeKey'
  | 'Encrypt'
  | 'Decrypt'
  | 'DisableKey'
  | 'EnableKey';

/** One request the local KMS received. */
export type LocalKmsRequest = LocalRequest;

/** Options of `startLocalKms()`. */
export interface StartLocalKmsOptions {
  /** Port on 127.0.0.1 (default 0: a random free port). */
  port?: number | undefined;
  /** Region used in key ARNs and the client configuration (default `us-east-1`). */
  region?: string | undefined;
  /** Account id used in key ARNs (default `123456789012`). */
  accountId?: string | undefined;
}

/** A key the local KMS created. */
export interface LocalKmsKey {
  readonly keyId: string;
  readonly arn: string;
}

/**
 * A running local KMS endpoint; pass {@link LocalKms.clientConfig} to `new KMSClient(...)`.
 * Encryption is real (AES-256-GCM, the encryption context authenticated), so a wrong context, an
 * altered blob or another key's blob is refused as KMS refuses it.
 */
export interface LocalKms extends LocalEndpoint<LocalKmsOperation> {
  /** Creates a symmetric key, with an alias (`alias/orders`) if given. */
  createKey(options?: { alias?: string; description?: string }): LocalKmsKey;
  /**
   * Encrypts `plaintext` under `keyId` with `context`, returning the base64 ciphertext: what
   * Lambda's console encryption helper stores in an environment variable (with the context
   * `{ LambdaFunctionName: <name> }`).
   */
  encrypt(keyId: string, plaintext: string | Uint8Array, context?: EncryptionContext): string;
  /** Disables a key (`Encrypt` and `Decrypt` then fail with `DisabledException`), or enables it again. */
  setEnabled(keyId: string, enabled: boolean): void;
}

type Input = Record<string, unknown>;

function keyIdOf(input: Input, required: true): string;
function keyIdOf(input: Input, required: false): string | undefined;
function keyIdOf(input: Input, required: boolean): string | undefined {
  const id = input.KeyId ?? input.TargetKeyId;
  if (id === undefined && !required) return undefined;
  if (typeof id !== 'string' || id === '') {
    throw new ServiceError(
      'ValidationException',
      "1 validation error detected: Value at 'keyId' failed to satisfy constraint: Member must not be null",
    );
  }
  return id;
}

function blob(input: Input, field: string): Buffer {
  const value = input[field];
  if (typeof value !== 'string' || value === '') {
    throw new ServiceError(
      'ValidationException',
      `1 validation error detected: Value at '${field}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return Buffer.from(value, 'base64');
}

function contextOf(input: Input): EncryptionContext {
  const context = input.EncryptionContext;
  if (context === undefined || context === null) return {};
  if (
    typeof context !== 'object' ||
    Array.isArray(context) ||
    Object.values(context).some((v) => typeof v !== 'string')
  ) {
    throw new ServiceError('ValidationException', 'EncryptionContext must map strings to strings');
  }
  return context as EncryptionContext;
}

function kmsOperations(store: KmsStore): JsonOperations<LocalKmsOperation> {
  return {
    CreateKey(input) {
      const description = typeof input.Description === 'string' ? input.Description : '';
      return { KeyMetadata: store.metadata(store.create(description)) };
    },
    CreateAlias(input) {
      if (typeof input.AliasName !== 'string') throw new ServiceError('ValidationException', 'AliasName is required');
      store.alias(input.AliasName, keyIdOf(input, true));
      return {};
    },
    DescribeKey: (input) => ({ KeyMetadata: store.metadata(store.find(keyIdOf(input, true))) }),
    Encrypt(input) {
      const key = store.find(keyIdOf(input, true));
      const ciphertext = store.encrypt(key, blob(input, 'Plaintext'), contextOf(input));
      return {
        CiphertextBlob: ciphertext.toString('base64'),
        KeyId: key.arn,
        EncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
      };
    },
    Decrypt(input) {
      const { key, plaintext } = store.decrypt(blob(input, 'CiphertextBlob'), contextOf(input), keyIdOf(input, false));
      return { Plaintext: plaintext.toString('base64'), KeyId: key.arn, EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' };
    },
    DisableKey(input) {
      store.find(keyIdOf(input, true)).enabled = false;
      return {};
    },
    EnableKey(input) {
      store.find(keyIdOf(input, true)).enabled = true;
      return {};
    },
  };
}

class RunningLocalKms extends JsonEndpoint<LocalKmsOperation> implements LocalKms {
  constructor(
    server: Server,
    region: string,
    private readonly store: KmsStore,
  ) {
    super(server, region, {
      owner: 'LocalKms',
      targetPrefix: 'TrentService.',
      internalErrorType: 'KMSInternalException',
      operations: kmsOperations(store),
    });
  }

  createKey(options: { alias?: string; description?: string } = {}): LocalKmsKey {
    const key = this.store.create(options.description);
    if (options.alias !== undefined)
      this.direct('createKey({ alias })', () => this.store.alias(options.alias!, key.id));
    return { keyId: key.id, arn: key.arn };
  }

  encrypt(keyId: string, plaintext: string | Uint8Array, context: EncryptionContext = {}): string {
    return this.direct('encrypt(keyId, plaintext, context)', () =>
      this.store.encrypt(this.store.find(keyId), Buffer.from(plaintext), context).toString('base64'),
    );
  }

  setEnabled(keyId: string, enabled: boolean): void {
    this.direct('setEnabled(keyId, enabled)', () => {
      this.store.find(keyId).enabled = enabled;
    });
  }

  private direct<T>(call: string, run: () => T): T {
    try {
      return run();
    } catch (error) {
      if (error instanceof ServiceError)
        throw new TypeError(`LocalKms.${call}: ${error.type} ${error.message}`, { cause: error });
      throw error;
    }
  }
}

/**
 * Starts an HTTP server on 127.0.0.1 that speaks KMS's JSON 1.1 protocol (`X-Amz-Target:
 * TrentService.<Operation>`), so the real `@aws-sdk/client-kms` talks to it: symmetric keys and
 * aliases, `Encrypt`/`Decrypt` with encryption contexts, errors in the real shape, faults.
 */
export function startLocalKms(options: StartLocalKmsOptions = {}): Promise<LocalKms> {
  return startLocalKmsFor('startLocalKms', options);
}

/** @internal {@link startLocalKms}, its mistakes named after `door` (`startLocalAws()` starts one too). */
export async function startLocalKmsFor(door: string, options: StartLocalKmsOptions): Promise<LocalKms> {
  checkOptions(door, options);
  checkOption(door, 'port', options.port, isPort);
  checkOption(door, 'region', options.region, isText);
  checkOption(door, 'accountId', options.accountId, isAccountId);
  const region = options.region ?? 'us-east-1';
  const store = new KmsStore(region, options.accountId ?? '123456789012');
  return new RunningLocalKms(await JsonEndpoint.listen(options.port), region, store);
}
