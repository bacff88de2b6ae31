import { request } from 'node:http';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  NoSuchBucket,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalS3, startLocalS3 } from './local-s3.js';

let s3: LocalS3;
let client: S3Client;

beforeAll(async () => {
  s3 = await startLocalS3({ buckets: ['payloads'] });
  client = new S3Client({ ...s3.clientConfig, maxAttempts: 1 });
});
afterAll(async () => {
  client.destroy();
  await s3.close();
});

describe('startLocalS3() with the real S3 client', () => {
  it('stores and returns objects, a 2 MB one too, byte for byte', async () => {
    const body = Buffer.alloc(2 * 1024 * 1024, 'é');
    await client.send(new PutObjectCommand({ Bucket: 'payloads', Key: 'big/one.json', Body: body }));
    const out = await client.send(new GetObjectCommand({ Bucket: 'payloads', Key: 'big/one.json' }));
    expect(Buffer.from(await out.Body!.transformToByteArray()).equals(body)).toBe(true);
    expect(await s3.objects('payloads')).toEqual([{ key: 'big/one.json', size: body.length }]);
    await client.send(new DeleteObjectCommand({ Bucket: 'payloads', Key: 'big/one.json' }));
    expect(await s3.objects('payloads')).toEqual([]);
  });

  it('answers a missing key or bucket as S3 does', async () => {
    await expect(client.send(new GetObjectCommand({ Bucket: 'payloads', Key: 'gone' }))).rejects.toBeInstanceOf(
      NoSuchKey,
    );
    await expect(client.send(new GetObjectCommand({ Bucket: 'nope', Key: 'k' }))).rejects.toBeInstanceOf(NoSuchBucket);
  });

  it('verifies signatures: a wrong secret is refused', async () => {
    const forged = new S3Client({
      ...s3.clientConfig,
      credentials: { accessKeyId: s3.clientConfig.credentials.accessKeyId, secretAccessKey: 'wrong' },
      maxAttempts: 1,
    });
    const error = await forged.send(new GetObjectCommand({ Bucket: 'payloads', Key: 'k' })).catch((e: unknown) => e);
    forged.destroy();
    expect(error).toBeInstanceOf(S3ServiceException);
    expect((error as Error).name).toBe('SignatureDoesNotMatch');
  });

  it('stores objects directly for seeding, readable through the API', async () => {
    await s3.putObject('payloads', 'seed/a.json', '{"a":1}', 'application/json');
    const out = await client.send(new GetObjectCommand({ Bucket: 'payloads', Key: 'seed/a.json' }));
    expect(out.ContentType).toBe('application/json');
    expect(await out.Body!.transformToString()).toBe('{"a":1}');
    await expect(s3.putObject('nope', 'k', 'v')).rejects.toThrow(
      'LocalS3.putObject(bucket, key, body): no bucket nope',
    );
    await client.send(new DeleteObjectCommand({ Bucket: 'payloads', Key: 'seed/a.json' }));
  });

  it('refuses keys with . or .. segments, through the API and for seeding: nothing is written outside its folder', async () => {
    for (const Key of ['../escape', 'a/../../escape', 'a/./b', '..']) {
      const error = await client.send(new PutObjectCommand({ Bucket: 'payloads', Key, Body: 'v' })).catch((e) => e);
      expect(error, Key).toBeInstanceOf(S3ServiceException);
      expect([(error as Error).name, (error as S3ServiceException).$metadata.httpStatusCode], Key).toEqual([
        'InvalidArgument',
        400,
      ]);
      await expect(s3.putObject('payloads', Key, 'v'), Key).rejects.toThrow('has a . or .. segment');
    }
    // Percent-encoded dots, sent as they are (a WHATWG URL would resolve them before sending).
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const { port } = new URL(s3.clientConfig.endpoint);
      const req = request({ host: '127.0.0.1', port, method: 'PUT', path: '/payloads/%2e%2e/escape' }, (res) => {
        res.resume();
        resolve(res.statusCode);
      });
      req.on('error', reject);
      req.end('v');
    });
    expect(status).toBe(400);
    expect(await s3.objects('payloads')).toEqual([]);
    await s3.putObject('payloads', 'a..b/.c', 'v'); // dots inside a segment are a key like any other
    expect(await s3.objects('payloads')).toEqual([{ key: 'a..b/.c', size: 1 }]);
    await client.send(new DeleteObjectCommand({ Bucket: 'payloads', Key: 'a..b/.c' }));
  });

  it('creates buckets, and refuses bad names and options', async () => {
    await s3.createBucket('second');
    await client.send(new PutObjectCommand({ Bucket: 'second', Key: 'k', Body: 'v' }));
    expect(await s3.objects('second')).toEqual([{ key: 'k', size: 1 }]);
    await expect(s3.createBucket('Bad_Name')).rejects.toThrow('LocalS3.createBucket(name): expected an S3 bucket name');
    await expect(s3.objects('missing')).rejects.toThrow('LocalS3.objects(bucket): no bucket missing');
    await expect(startLocalS3({ buckets: ['UPPER'] })).rejects.toThrow(/startLocalS3\(\{ buckets \}\)/);
  });
});
