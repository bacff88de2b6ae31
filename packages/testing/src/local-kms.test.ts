import {
  CreateAliasCommand,
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  EncryptCommand,
  KMSClient,
} from '@aws-sdk/client-kms';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type LocalKms, startLocalKms } from './local-kms.js';

// The real @aws-sdk/client-kms against the local endpoint. Encryption is real: these tests fail if
// the context were not authenticated or the blob not checked.
let kms: LocalKms;
let client: KMSClient;
const text = new TextEncoder();
const read = (bytes: Uint8Array | undefined) => new TextDecoder().decode(bytes);

beforeAll(async () => {
  kms = await startLocalKms();
  client = new KMSClient({ ...kms.clientConfig, maxAttempts: 1 });
});
afterAll(async () => {
  client.destroy();
  await kms.close();
});
beforeEach(() => {
  kms.clearFaults();
  kms.resetRequests();
});

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: { name: string; $metadata: { httpStatusCode?: number } }) => error,
  );

describe('startLocalKms', () => {
  it('encrypts and decrypts with the SDK; the blob names its key, so Decrypt needs no KeyId', async () => {
    const { KeyMetadata } = await client.send(new CreateKeyCommand({ Description: 'orders' }));
    expect(KeyMetadata).toMatchObject({ KeyState: 'Enabled', KeySpec: 'SYMMETRIC_DEFAULT', Description: 'orders' });
    const context = { LambdaFunctionName: 'orders', purpose: 'test' };
    const encrypted = await client.send(
      new EncryptCommand({ KeyId: KeyMetadata!.KeyId, Plaintext: text.encode('hunter2'), EncryptionContext: context }),
    );
    expect(encrypted.KeyId).toBe(KeyMetadata!.Arn);
    // The same context in another order is the same context.
    const decrypted = await client.send(
      new DecryptCommand({
        CiphertextBlob: encrypted.CiphertextBlob,
        EncryptionContext: { purpose: 'test', LambdaFunctionName: 'orders' },
      }),
    );
    expect([read(decrypted.Plaintext), decrypted.KeyId]).toEqual(['hunter2', KeyMetadata!.Arn]);
    // Two encryptions of one plaintext differ (a fresh IV each).
    const again = await client.send(
      new EncryptCommand({ KeyId: KeyMetadata!.Arn, Plaintext: text.encode('hunter2'), EncryptionContext: context }),
    );
    expect(Buffer.from(again.CiphertextBlob!).equals(Buffer.from(encrypted.CiphertextBlob!))).toBe(false);
  });

  it('refuses a wrong, missing or extended encryption context with InvalidCiphertextException', async () => {
    const { keyId } = kms.createKey();
    const blob = Buffer.from(kms.encrypt(keyId, 'secret', { LambdaFunctionName: 'orders' }), 'base64');
    for (const EncryptionContext of [
      { LambdaFunctionName: 'payments' },
      undefined,
      { LambdaFunctionName: 'orders', extra: 'x' },
    ]) {
      const error = await failure(client.send(new DecryptCommand({ CiphertextBlob: blob, EncryptionContext })));
      expect(error.name, JSON.stringify(EncryptionContext)).toBe('InvalidCiphertextException');
    }
  });

  it('refuses an altered blob, a blob that is not one, and another key named as KeyId', async () => {
    const { keyId } = kms.createKey();
    const other = kms.createKey();
    const blob = Buffer.from(kms.encrypt(keyId, 'secret'), 'base64');
    const altered = Buffer.from(blob);
    altered[altered.length - 1]! ^= 1;
    expect((await failure(client.send(new DecryptCommand({ CiphertextBlob: altered })))).name).toBe(
      'InvalidCiphertextException',
    );
    expect((await failure(client.send(new DecryptCommand({ CiphertextBlob: text.encode('garbage') })))).name).toBe(
      'InvalidCiphertextException',
    );
    const wrongKey = await failure(client.send(new DecryptCommand({ CiphertextBlob: blob, KeyId: other.keyId })));
    expect(wrongKey.name).toBe('IncorrectKeyException');
    const right = await client.send(new DecryptCommand({ CiphertextBlob: blob, KeyId: keyId }));
    expect(read(right.Plaintext)).toBe('secret');
  });

  it('resolves aliases and ARNs, and refuses unknown keys, disabled keys and oversized plaintext', async () => {
    const key = kms.createKey({ alias: 'alias/orders' });
    await client.send(new CreateAliasCommand({ AliasName: 'alias/orders-2', TargetKeyId: key.arn }));
    const byAlias = await client.send(new EncryptCommand({ KeyId: 'alias/orders-2', Plaintext: text.encode('x') }));
    expect(byAlias.KeyId).toBe(key.arn);
    const aliasArn = `arn:aws:kms:us-east-1:123456789012:alias/orders`;
    expect((await client.send(new DescribeKeyCommand({ KeyId: aliasArn }))).KeyMetadata?.KeyId).toBe(key.keyId);
    expect((await failure(client.send(new DescribeKeyCommand({ KeyId: 'alias/none' })))).name).toBe(
      'NotFoundException',
    );
    const big = await failure(client.send(new EncryptCommand({ KeyId: key.keyId, Plaintext: new Uint8Array(4097) })));
    expect(big.name).toBe('ValidationException');
    kms.setEnabled(key.keyId, false);
    const blob = byAlias.CiphertextBlob;
    expect((await failure(client.send(new DecryptCommand({ CiphertextBlob: blob })))).name).toBe('DisabledException');
    kms.setEnabled(key.keyId, true);
    expect(read((await client.send(new DecryptCommand({ CiphertextBlob: blob }))).Plaintext)).toBe('x');
  });

  it('injects throttling, access denied and internal failures with KMS’s own error names', async () => {
    const { keyId } = kms.createKey();
    kms.throttle(1);
    kms.denyAccess(1);
    kms.fail(1);
    const describe = () => client.send(new DescribeKeyCommand({ KeyId: keyId }));
    expect((await failure(describe())).name).toBe('ThrottlingException');
    expect((await failure(describe())).name).toBe('AccessDeniedException');
    const internal = await failure(describe());
    expect([internal.name, internal.$metadata.httpStatusCode]).toEqual(['KMSInternalException', 500]);
    expect((await describe()).KeyMetadata?.KeyId).toBe(keyId);
    expect(kms.count('DescribeKey')).toBe(4);
  });

  it('names the mistake of a test that uses a key KMS would refuse', () => {
    expect(() => kms.encrypt('no-such-key', 'x')).toThrow(
      /LocalKms.encrypt\(keyId, plaintext, context\): NotFoundException/,
    );
    expect(() => kms.createKey({ alias: 'alias/aws/lambda' })).toThrow(/ValidationException/);
    expect(() => kms.setLatency(Number.NaN)).toThrow(/LocalKms.setLatency\(ms\)/);
  });
});
