import { mkdtemp, rm } from 'node:fs/promises';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { checkOption, checkOptions, isList, isPort, isText } from './check-option.js';

/** Options of `startLocalS3()`. */
export interface StartLocalS3Options {
  /** Buckets created before it resolves. */
  buckets?: readonly string[] | undefined;
  /** Port on 127.0.0.1 (default 0: a random free port). */
  port?: number | undefined;
  /** The region the client configuration names (default `us-east-1`). */
  region?: string | undefined;
}

/** A running local S3; pass {@link LocalS3.clientConfig} to `new S3Client(...)`. */
export interface LocalS3 {
  readonly endpoint: string;
  readonly port: number;
  readonly region: string;
  /** Endpoint, region, path-style addressing and credentials the server verifies signatures with. */
  readonly clientConfig: {
    endpoint: string;
    region: string;
    forcePathStyle: true;
    credentials: { accessKeyId: string; secretAccessKey: string };
  };
  /** Creates a bucket (an existing one is kept as it is). */
  createBucket(name: string): Promise<void>;
  /** Stores an object directly (no request): for seeding a test or a local run. The bucket must exist. */
  putObject(bucket: string, key: string, body: string | Uint8Array, contentType?: string): Promise<void>;
  /** The keys and sizes of the objects in `bucket`, by key. */
  objects(bucket: string): Promise<readonly { key: string; size: number }[]>;
  /** Stops the server and deletes everything it stored. */
  close(): Promise<void>;
}

// The credentials of every local server of this package (startLocalAws() hands them out), and
// s3rver's own: each is a key pair the server checks SigV4 signatures against, as S3 does.
const KEY_PAIRS: readonly (readonly [string, string])[] = [
  ['lambdakit-local', 'lambdakit-local'],
  ['AKIDLOCALAWS', 'local-aws-secret'],
];

/** The part of @20minutes/s3rver used here (it ships no types). */
interface S3rverInstance {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
  httpServer?: Server;
  store: {
    putBucket(name: string): Promise<unknown>;
    getBucket(name: string): Promise<unknown>;
    listObjects(bucket: string, options: object): Promise<{ objects: { key: string; size: number }[] }>;
    putObject(object: unknown): Promise<unknown>;
  };
}
type S3rverClass = new (options: Record<string, unknown>) => S3rverInstance;
type S3ObjectClass = new (bucket: string, key: string, content: unknown, metadata: Record<string, string>) => unknown;
interface AccountModule {
  DUMMY_ACCOUNT: { createKeyPair(accessKeyId: string, secret: string): void };
}

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

function checkBuckets(door: string, buckets: unknown): void {
  checkOption(door, 'buckets', buckets, isList);
  for (const name of (buckets as unknown[] | undefined) ?? []) {
    if (typeof name !== 'string' || !BUCKET_NAME.test(name)) {
      throw new TypeError(
        `${door}({ buckets }): expected S3 bucket names (3-63 of a-z, 0-9, . and -), got ${String(name)}`,
      );
    }
  }
}

/**
 * Starts an S3-compatible server on 127.0.0.1 — `@20minutes/s3rver`, a maintained fork of s3rver —
 * storing objects in a temporary folder removed by `close()`. The real `@aws-sdk/client-s3` talks to
 * it with path-style addressing (an IP endpoint gets it anyway; `clientConfig` sets it), signing with
 * the local servers' fake credentials, which it verifies. Loaded on first use: a test that starts no
 * S3 loads none of it.
 */
export async function startLocalS3(options: StartLocalS3Options = {}): Promise<LocalS3> {
  return startLocalS3For('startLocalS3', options);
}

/** @internal {@link startLocalS3}, its mistakes named after `door`. */
export async function startLocalS3For(door: string, options: StartLocalS3Options): Promise<LocalS3> {
  checkOptions(door, options);
  checkOption(door, 'port', options.port, isPort);
  checkOption(door, 'region', options.region, isText);
  checkBuckets(door, options.buckets);
  // CommonJS, without types: required here, on first use.
  const require = createRequire(import.meta.url);
  const S3rver = require('@20minutes/s3rver') as S3rverClass;
  const S3Object = require('@20minutes/s3rver/lib/models/object.js') as S3ObjectClass;
  const accounts = require('@20minutes/s3rver/lib/models/account.js') as AccountModule;
  for (const [id, secret] of KEY_PAIRS) accounts.DUMMY_ACCOUNT.createKeyPair(id, secret);
  const directory = await mkdtemp(join(tmpdir(), 'lambdakit-s3-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: options.port ?? 0,
    silent: true,
    directory,
    configureBuckets: (options.buckets ?? []).map((name) => ({ name })),
  });
  let address: AddressInfo;
  try {
    address = await server.run();
  } catch (error) {
    await rm(directory, { recursive: true, force: true });
    throw error;
  }
  server.httpServer?.unref();
  if (server.httpServer !== undefined) refuseDotSegments(server.httpServer);
  return localS3(server, S3Object, directory, address.port, options.region ?? 'us-east-1');
}

/** Whether a key has a `.` or `..` segment: the store would follow it out of the bucket's folder. */
const hasDotSegment = (key: string) => key.split(/[/\\]/).some((segment) => segment === '.' || segment === '..');

/**
 * Puts a check before s3rver's request handler: a request whose (decoded) path has a `.` or `..`
 * segment is answered 400 (S3 itself would store such a key; this store would write outside its
 * folder).
 */
function refuseDotSegments(http: Server): void {
  const handlers = http.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
  http.removeAllListeners('request');
  http.on('request', (req: IncomingMessage, res: ServerResponse) => {
    let path: string;
    try {
      // The raw path: a URL object would resolve the dot segments away before they are seen.
      path = decodeURIComponent((req.url ?? '/').split('?')[0]!);
    } catch {
      path = '..';
    }
    if (hasDotSegment(path)) {
      res.writeHead(400, { 'content-type': 'application/xml' });
      res.end(
        '<?xml version="1.0" encoding="UTF-8"?><Error><Code>InvalidArgument</Code><Message>This local S3 refuses keys with . or .. segments</Message></Error>',
      );
      return;
    }
    for (const handler of handlers) handler.call(http, req, res);
  });
}

function localS3(
  server: S3rverInstance,
  S3Object: S3ObjectClass,
  directory: string,
  port: number,
  region: string,
): LocalS3 {
  const endpoint = `http://127.0.0.1:${port}`;
  const [accessKeyId, secretAccessKey] = KEY_PAIRS[0]!;
  return {
    endpoint,
    port,
    region,
    clientConfig: { endpoint, region, forcePathStyle: true, credentials: { accessKeyId, secretAccessKey } },
    async createBucket(name) {
      if (typeof name !== 'string' || !BUCKET_NAME.test(name)) {
        throw new TypeError(`LocalS3.createBucket(name): expected an S3 bucket name, got ${String(name)}`);
      }
      await server.store.putBucket(name);
    },
    async putObject(bucket, key, body, contentType = 'binary/octet-stream') {
      if ((await server.store.getBucket(bucket)) == null) {
        throw new TypeError(`LocalS3.putObject(bucket, key, body): no bucket ${bucket}`);
      }
      if (typeof key !== 'string' || key === '' || Buffer.byteLength(key) > 1024) {
        throw new TypeError('LocalS3.putObject(bucket, key, body): expected a key of 1 to 1024 bytes');
      }
      // The store keeps each object in a file under the bucket's folder: a `.` or `..` segment,
      // which S3 itself would take, could name a file outside it.
      if (hasDotSegment(key)) {
        throw new TypeError(
          `LocalS3.putObject(bucket, key, body): the key ${JSON.stringify(key)} has a . or .. segment`,
        );
      }
      // A stream, not a buffer: the store resolves a buffer's write before it is on disk.
      const content = Readable.from([Buffer.from(body)]);
      await server.store.putObject(new S3Object(bucket, key, content, { 'content-type': contentType }));
    },
    async objects(bucket) {
      if ((await server.store.getBucket(bucket)) == null) {
        throw new TypeError(`LocalS3.objects(bucket): no bucket ${bucket}`);
      }
      const { objects } = await server.store.listObjects(bucket, {});
      return objects.map((o) => ({ key: o.key, size: o.size }));
    },
    async close() {
      server.httpServer?.closeAllConnections();
      await server.close().catch(() => {});
      await rm(directory, { recursive: true, force: true });
    },
  };
}
