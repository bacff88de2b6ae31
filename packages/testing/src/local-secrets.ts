import type { Server } from 'node:http';
import { checkOption, checkOptions, isAccountId, isPort, isRecord, isText } from './check-option.js';
import { JsonEndpoint, type LocalEndpoint, type LocalRequest } from './json-endpoint.js';
import { type LocalSecretsOperation, secretsOperations } from './secrets-operations.js';
import { CURRENT, PENDING, SecretsStore, type SecretValueInput } from './secrets-store.js';
import { ServiceError } from './service-error.js';

export type { LocalSecretsOperation } from './secrets-operations.js';

/** A secret's value to seed: a string as is, bytes as `SecretBinary`, anything else as its JSON. */
export type LocalSecretInput = string | Uint8Array | Readonly<Record<string, unknown>>;

/** Options of `startLocalSecretsManager()`. */
export interface StartLocalSecretsManagerOptions {
  /** Secrets present from the start, by name (`/lambdakit/orders`), each with one `AWSCURRENT` version. */
  secrets?: Readonly<Record<string, LocalSecretInput>> | undefined;
  /** Port on 127.0.0.1 (default 0: a random free port). */
  port?: number | undefined;
  /** Region used in secret ARNs and the client configuration (default `us-east-1`). */
  region?: string | undefined;
  /** Account id used in secret ARNs (default `123456789012`). */
  accountId?: string | undefined;
}

/** One version of a stored secret, as a test reads it. */
export interface LocalSecretVersion {
  readonly versionId: string;
  /** `SecretString`, or `SecretBinary`'s bytes. */
  readonly value: string | Buffer;
  readonly stages: readonly string[];
}

/**
 * A running local Secrets Manager endpoint; pass {@link LocalSecretsManager.clientConfig} to
 * `new SecretsManagerClient(...)`. Faults as the other local endpoints, plus a secret a role may
 * not read ({@link LocalSecretsManager.deny}) and a rotation in progress.
 */
export interface LocalSecretsManager extends LocalEndpoint<LocalSecretsOperation> {
  /** Creates the secret, or adds a version labelled `AWSCURRENT` (the old one becomes `AWSPREVIOUS`); returns the version id. */
  put(name: string, value: LocalSecretInput): string;
  /**
   * Starts a rotation: a new version labelled `AWSPENDING`, while `AWSCURRENT` still serves the
   * old value (what a rotation Lambda's `createSecret` step leaves). Returns the version id.
   */
  beginRotation(name: string, value: LocalSecretInput): string;
  /** Ends the rotation: `AWSCURRENT` moves to the pending version, the old one becomes `AWSPREVIOUS`. */
  finishRotation(name: string): void;
  /** The version holding `stage` (default `AWSCURRENT`), read directly. */
  get(name: string, stage?: string): LocalSecretVersion | undefined;
  /** Deletes a secret at once (no recovery window); `false` if it did not exist. */
  delete(name: string): boolean;
  /** Refuses every read of this secret with `AccessDeniedException` (in a batch read: an entry of `Errors`), or allows it again. */
  deny(name: string, denied?: boolean): void;
}

/** What a test's value becomes in the protocol: strings as they are, bytes as binary, objects as JSON. */
function toValue(value: LocalSecretInput, door: string): SecretValueInput {
  if (typeof value === 'string') return { string: value };
  if (value instanceof Uint8Array) return { binary: Buffer.from(value) };
  if (value !== null && typeof value === 'object') return { string: JSON.stringify(value) };
  throw new TypeError(`${door}: expected a string, bytes or a JSON object as the secret's value, got ${typeof value}`);
}

/** Runs a store call a test made directly: what Secrets Manager would refuse is the test's mistake. */
function direct<T>(door: string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof ServiceError) throw new TypeError(`${door}: ${error.message}`, { cause: error });
    throw error;
  }
}

class RunningLocalSecretsManager extends JsonEndpoint<LocalSecretsOperation> implements LocalSecretsManager {
  constructor(
    server: Server,
    region: string,
    private readonly store: SecretsStore,
  ) {
    super(server, region, {
      owner: 'LocalSecretsManager',
      targetPrefix: 'secretsmanager.',
      internalErrorType: 'InternalServiceError',
      operations: secretsOperations(store),
    });
  }

  put(name: string, value: LocalSecretInput): string {
    const door = 'LocalSecretsManager.put(name, value)';
    const input = toValue(value, door);
    return direct(door, () => {
      const existing = this.store.secrets.get(name);
      if (existing === undefined) return this.store.create(name, input, {}).version!.id;
      return this.store.putValue(existing, input, [CURRENT]).id;
    });
  }

  beginRotation(name: string, value: LocalSecretInput): string {
    const door = 'LocalSecretsManager.beginRotation(name, value)';
    const input = toValue(value, door);
    return direct(door, () => this.store.putValue(this.store.find(name), input, [PENDING]).id);
  }

  finishRotation(name: string): void {
    direct('LocalSecretsManager.finishRotation(name)', () => {
      const secret = this.store.find(name);
      const pending = this.store.versionWith(secret, PENDING);
      if (pending === undefined)
        throw new ServiceError('InvalidRequestException', `${name} has no rotation in progress`);
      pending.stages.delete(PENDING);
      this.store.moveStage(secret, CURRENT, pending);
    });
  }

  get(name: string, stage = CURRENT): LocalSecretVersion | undefined {
    const secret = this.store.secrets.get(name);
    const version = secret === undefined ? undefined : this.store.versionWith(secret, stage);
    if (version === undefined) return undefined;
    return {
      versionId: version.id,
      value: version.string ?? Buffer.from(version.binary ?? []),
      stages: [...version.stages],
    };
  }

  delete(name: string): boolean {
    return this.store.secrets.delete(name);
  }

  deny(name: string, denied = true): void {
    if (denied) this.store.denied.add(name);
    else this.store.denied.delete(name);
  }
}

/**
 * Starts an HTTP server on 127.0.0.1 that speaks Secrets Manager's JSON 1.1 protocol
 * (`X-Amz-Target: secretsmanager.<Operation>`), so the real `@aws-sdk/client-secrets-manager`
 * talks to it: versions and staging labels, batch reads with name filters and paging, errors in
 * the real shape, fault injection and request counts.
 */
export function startLocalSecretsManager(options: StartLocalSecretsManagerOptions = {}): Promise<LocalSecretsManager> {
  return startLocalSecretsManagerFor('startLocalSecretsManager', options);
}

/** @internal {@link startLocalSecretsManager}, its mistakes named after `door` (`startLocalAws()` starts one too). */
export async function startLocalSecretsManagerFor(
  door: string,
  options: StartLocalSecretsManagerOptions,
): Promise<LocalSecretsManager> {
  checkOptions(door, options);
  checkOption(door, 'secrets', options.secrets, isRecord);
  checkOption(door, 'port', options.port, isPort);
  checkOption(door, 'region', options.region, isText);
  checkOption(door, 'accountId', options.accountId, isAccountId);
  const region = options.region ?? 'us-east-1';
  const store = new SecretsStore(region, options.accountId ?? '123456789012');
  for (const [name, value] of Object.entries(options.secrets ?? {})) {
    const where = `${door}({ secrets }): secret ${JSON.stringify(name)}`;
    const input = toValue(value, where);
    direct(where, () => store.create(name, input, {}));
  }
  return new RunningLocalSecretsManager(await JsonEndpoint.listen(options.port), region, store);
}

/** One request the local Secrets Manager received. */
export type LocalSecretsRequest = LocalRequest;
