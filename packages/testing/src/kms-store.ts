import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from 'node:crypto';
import { ServiceError } from './service-error.js';

/** A symmetric KMS key as the local endpoint holds it: 256 bits of key material that never leave it. */
export interface StoredKey {
  readonly id: string;
  readonly arn: string;
  readonly description: string;
  readonly material: Buffer;
  readonly created: Date;
  enabled: boolean;
}

// The local ciphertext blob: magic, the key id (a UUID, as text), a 96-bit IV, the 128-bit GCM tag,
// then the ciphertext. Like KMS's own, it names its key, so Decrypt needs no KeyId.
const MAGIC = Buffer.from('LKMS\x01', 'latin1');
const KEY_ID_BYTES = 36;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = MAGIC.length + KEY_ID_BYTES + IV_BYTES + TAG_BYTES;
/** KMS: `Encrypt` takes at most 4,096 bytes of plaintext. */
export const MAX_PLAINTEXT_BYTES = 4096;

/** An encryption context as the protocol carries it: string keys to string values. */
export type EncryptionContext = Readonly<Record<string, string>>;

/**
 * The additional authenticated data for a context: its pairs sorted by key, so the same context
 * given in any order authenticates, and any other context (a pair missing, added or changed) fails.
 */
function contextBytes(context: EncryptionContext): Buffer {
  const pairs = Object.entries(context).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Buffer.from(JSON.stringify(pairs));
}

function invalidCiphertext(): ServiceError {
  // KMS says no more than this: which of key, context or bytes was wrong is not revealed.
  return new ServiceError('InvalidCiphertextException', '');
}

/** The keys and aliases of one local KMS endpoint, with real authenticated encryption (AES-256-GCM). */
export class KmsStore {
  readonly keys = new Map<string, StoredKey>();
  readonly aliases = new Map<string, string>();

  constructor(
    private readonly region: string,
    private readonly accountId: string,
  ) {}

  /** Creates a key, enabled. */
  create(description = ''): StoredKey {
    const id = randomUUID();
    const key: StoredKey = {
      id,
      arn: `arn:aws:kms:${this.region}:${this.accountId}:key/${id}`,
      description,
      material: randomBytes(32),
      created: new Date(),
      enabled: true,
    };
    this.keys.set(id, key);
    return key;
  }

  /** Points `alias/…` at a key. */
  alias(name: string, keyId: string): void {
    if (!/^alias\/[A-Za-z0-9/_-]{1,250}$/.test(name) || name.startsWith('alias/aws/')) {
      throw new ServiceError(
        'ValidationException',
        `Alias must start with the prefix "alias/" and may not use "alias/aws/": ${name}`,
      );
    }
    if (this.aliases.has(name))
      throw new ServiceError('AlreadyExistsException', `An alias with the name ${this.aliasArn(name)} already exists`);
    this.aliases.set(name, this.find(keyId).id);
  }

  /** The key a `KeyId` names: key id, key ARN, alias name or alias ARN. */
  find(keyId: string): StoredKey {
    const aliasName = keyId.startsWith('alias/') ? keyId : /^arn:aws:kms:[^:]*:[^:]*:(alias\/.+)$/.exec(keyId)?.[1];
    const id =
      aliasName !== undefined ? this.aliases.get(aliasName) : keyId.replace(/^arn:aws:kms:[^:]*:[^:]*:key\//, '');
    const key = id === undefined ? undefined : this.keys.get(id);
    if (key === undefined) {
      const shown =
        aliasName !== undefined ? this.aliasArn(aliasName) : `arn:aws:kms:${this.region}:${this.accountId}:key/${id}`;
      throw new ServiceError(
        'NotFoundException',
        `${aliasName !== undefined ? 'Alias' : 'Key'} '${shown}' does not exist`,
      );
    }
    return key;
  }

  /** Encrypts with the key, binding the context: the blob decrypts only with the same context. */
  encrypt(key: StoredKey, plaintext: Buffer, context: EncryptionContext): Buffer {
    this.usable(key);
    if (plaintext.length < 1 || plaintext.length > MAX_PLAINTEXT_BYTES) {
      throw new ServiceError(
        'ValidationException',
        `1 validation error detected: Value at 'plaintext' failed to satisfy constraint: Member must have length between 1 and ${MAX_PLAINTEXT_BYTES}`,
      );
    }
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key.material, iv);
    cipher.setAAD(contextBytes(context));
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return Buffer.concat([MAGIC, Buffer.from(key.id, 'latin1'), iv, cipher.getAuthTag(), body]);
  }

  /**
   * Decrypts a blob this endpoint made. A blob that is not one, was altered, or is given another
   * context is `InvalidCiphertextException`; a `keyId` other than the blob's, `IncorrectKeyException`.
   */
  decrypt(blob: Buffer, context: EncryptionContext, keyId: string | undefined): { key: StoredKey; plaintext: Buffer } {
    if (blob.length <= HEADER_BYTES || !blob.subarray(0, MAGIC.length).equals(MAGIC)) throw invalidCiphertext();
    const id = blob.subarray(MAGIC.length, MAGIC.length + KEY_ID_BYTES).toString('latin1');
    const key = this.keys.get(id);
    if (key === undefined) throw invalidCiphertext();
    if (keyId !== undefined && this.find(keyId) !== key) {
      throw new ServiceError(
        'IncorrectKeyException',
        'The key ID in the request does not identify a CMK that can perform this operation.',
      );
    }
    this.usable(key);
    const ivAt = MAGIC.length + KEY_ID_BYTES;
    const decipher = createDecipheriv('aes-256-gcm', key.material, blob.subarray(ivAt, ivAt + IV_BYTES));
    decipher.setAAD(contextBytes(context));
    decipher.setAuthTag(blob.subarray(ivAt + IV_BYTES, HEADER_BYTES));
    try {
      return { key, plaintext: Buffer.concat([decipher.update(blob.subarray(HEADER_BYTES)), decipher.final()]) };
    } catch {
      throw invalidCiphertext();
    }
  }

  /** The key as `CreateKey` and `DescribeKey` return it. */
  metadata(key: StoredKey): Record<string, unknown> {
    return {
      AWSAccountId: this.accountId,
      KeyId: key.id,
      Arn: key.arn,
      CreationDate: key.created.getTime() / 1000,
      Enabled: key.enabled,
      Description: key.description,
      KeyUsage: 'ENCRYPT_DECRYPT',
      KeyState: key.enabled ? 'Enabled' : 'Disabled',
      Origin: 'AWS_KMS',
      KeyManager: 'CUSTOMER',
      KeySpec: 'SYMMETRIC_DEFAULT',
      CustomerMasterKeySpec: 'SYMMETRIC_DEFAULT',
      EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
      MultiRegion: false,
    };
  }

  private usable(key: StoredKey): void {
    if (!key.enabled) throw new ServiceError('DisabledException', `${key.arn} is disabled.`);
  }

  private aliasArn(name: string): string {
    return `arn:aws:kms:${this.region}:${this.accountId}:${name}`;
  }
}
