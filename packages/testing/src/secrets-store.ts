import { randomBytes, randomUUID } from 'node:crypto';
import { ServiceError } from './service-error.js';

/** One version of a secret: its value and the staging labels (`AWSCURRENT`, …) attached to it. */
export interface SecretVersion {
  readonly id: string;
  readonly string: string | undefined;
  readonly binary: Buffer | undefined;
  readonly stages: Set<string>;
  readonly created: Date;
}

/** A secret as the local endpoint holds it. */
export interface StoredSecret {
  readonly name: string;
  readonly arn: string;
  readonly description: string | undefined;
  readonly kmsKeyId: string | undefined;
  readonly versions: Map<string, SecretVersion>;
  readonly created: Date;
  changed: Date;
  /** Set when the secret is scheduled for deletion: it is then refused by every read. */
  deleted: Date | undefined;
}

/** A secret's value as the protocol carries it: a string, or bytes. */
export type SecretValueInput = { readonly string: string } | { readonly binary: Buffer };

export const CURRENT = 'AWSCURRENT';
export const PREVIOUS = 'AWSPREVIOUS';
export const PENDING = 'AWSPENDING';

// Secrets Manager: names use letters, digits and `/_+=.@-`, at most 512 characters.
const NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/;
/** Secrets Manager's limit on a secret value: 65,536 bytes. */
export const MAX_SECRET_BYTES = 65_536;

/** Secrets Manager's answer for a secret it does not have. */
export function notFound(): ServiceError {
  return new ServiceError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
}

/** The secrets of one local Secrets Manager endpoint, by name, with versions and staging labels. */
export class SecretsStore {
  readonly secrets = new Map<string, StoredSecret>();
  /** Secrets a test made unreadable (`AccessDeniedException`), by name. */
  readonly denied = new Set<string>();

  constructor(
    private readonly region: string,
    private readonly accountId: string,
  ) {}

  /** The secret a `SecretId` names (its name or its ARN); deleted ones only with `includeDeleted`. */
  find(id: string, includeDeleted = false): StoredSecret {
    const secret = this.secrets.get(id) ?? [...this.secrets.values()].find((s) => s.arn === id);
    if (secret === undefined) throw notFound();
    if (secret.deleted !== undefined && !includeDeleted) {
      throw new ServiceError(
        'InvalidRequestException',
        "You can't perform this operation on the secret because it was marked for deletion.",
      );
    }
    return secret;
  }

  /** Creates a secret, with a first version labelled `AWSCURRENT` when a value is given. */
  create(
    name: string,
    value: SecretValueInput | undefined,
    options: { versionId?: string | undefined; description?: string | undefined; kmsKeyId?: string | undefined },
  ): { secret: StoredSecret; version: SecretVersion | undefined } {
    if (!NAME.test(name)) {
      throw new ServiceError(
        'InvalidParameterException',
        'Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!',
      );
    }
    if (this.secrets.has(name)) {
      throw new ServiceError(
        'ResourceExistsException',
        `The operation failed because the secret ${name} already exists.`,
      );
    }
    const now = new Date();
    // Secrets Manager: the ARN ends in the name, a dash and six random characters.
    const suffix = randomBytes(6).toString('base64url').replace(/[-_]/g, 'x').slice(0, 6);
    const secret: StoredSecret = {
      name,
      arn: `arn:aws:secretsmanager:${this.region}:${this.accountId}:secret:${name}-${suffix}`,
      description: options.description,
      kmsKeyId: options.kmsKeyId,
      versions: new Map(),
      created: now,
      changed: now,
      deleted: undefined,
    };
    this.secrets.set(name, secret);
    const version = value === undefined ? undefined : this.putValue(secret, value, [CURRENT], options.versionId);
    return { secret, version };
  }

  /**
   * Adds a version with `stages`. A label moves: the version that held it loses it, and when
   * `AWSCURRENT` moves, the version that held it becomes `AWSPREVIOUS`, as Secrets Manager does.
   * Repeating a `versionId` with the same value is a no-op; with another value, an error.
   */
  putValue(
    secret: StoredSecret,
    value: SecretValueInput,
    stages: readonly string[],
    versionId?: string,
  ): SecretVersion {
    const size = 'string' in value ? Buffer.byteLength(value.string) : value.binary.length;
    if (size > MAX_SECRET_BYTES) {
      throw new ServiceError(
        'InvalidParameterException',
        `The secret value is ${size} bytes; Secrets Manager stores at most ${MAX_SECRET_BYTES}.`,
      );
    }
    const id = versionId ?? randomUUID();
    const existing = secret.versions.get(id);
    if (existing !== undefined) {
      const same =
        'string' in value ? existing.string === value.string : existing.binary?.equals(value.binary) === true;
      if (same) return existing;
      throw new ServiceError(
        'ResourceExistsException',
        `A resource with the ID you requested already exists: version ${id} of ${secret.name} has another value.`,
      );
    }
    const version: SecretVersion = {
      id,
      string: 'string' in value ? value.string : undefined,
      binary: 'binary' in value ? Buffer.from(value.binary) : undefined,
      stages: new Set(),
      created: new Date(),
    };
    secret.versions.set(id, version);
    for (const stage of stages) this.moveStage(secret, stage, version);
    secret.changed = new Date();
    return version;
  }

  /** Attaches `stage` to `to`, taking it from whichever version held it; `AWSCURRENT` leaves `AWSPREVIOUS` behind. */
  moveStage(secret: StoredSecret, stage: string, to: SecretVersion): void {
    const from = this.versionWith(secret, stage);
    if (from === to) return;
    from?.stages.delete(stage);
    to.stages.add(stage);
    if (stage === CURRENT && from !== undefined) {
      this.versionWith(secret, PREVIOUS)?.stages.delete(PREVIOUS);
      from.stages.add(PREVIOUS);
    }
  }

  /** The version holding `stage`, if any. */
  versionWith(secret: StoredSecret, stage: string): SecretVersion | undefined {
    for (const version of secret.versions.values()) if (version.stages.has(stage)) return version;
    return undefined;
  }

  /** The version a read asks for: by id, by stage, or `AWSCURRENT`; refused when a test denied the secret. */
  read(secret: StoredSecret, versionId: string | undefined, stage: string | undefined): SecretVersion {
    if (this.denied.has(secret.name)) {
      throw new ServiceError(
        'AccessDeniedException',
        `User: arn:aws:sts::${this.accountId}:assumed-role/local/test is not authorized to perform: secretsmanager:GetSecretValue on resource: ${secret.name} because no identity-based policy allows the secretsmanager:GetSecretValue action`,
      );
    }
    const version =
      versionId === undefined ? this.versionWith(secret, stage ?? CURRENT) : secret.versions.get(versionId);
    if (version === undefined || (versionId !== undefined && stage !== undefined && !version.stages.has(stage))) {
      const what = versionId === undefined ? `staging label: ${stage ?? CURRENT}` : `VersionId: ${versionId}`;
      throw new ServiceError(
        'ResourceNotFoundException',
        `Secrets Manager can't find the specified secret value for ${what}`,
      );
    }
    return version;
  }

  /** The version as `GetSecretValue` and `BatchGetSecretValue` return it. */
  toWire(secret: StoredSecret, version: SecretVersion): Record<string, unknown> {
    return {
      ARN: secret.arn,
      Name: secret.name,
      VersionId: version.id,
      ...(version.string === undefined ? {} : { SecretString: version.string }),
      ...(version.binary === undefined ? {} : { SecretBinary: version.binary.toString('base64') }),
      VersionStages: [...version.stages],
      CreatedDate: version.created.getTime() / 1000,
    };
  }
}
