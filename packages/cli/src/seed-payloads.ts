import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { LocalS3 } from '@lambdakit/testing';
import { CliError } from './cli-error.js';

/** The default folder `lambdakit events --large-body` writes payloads to, and `--local-aws` serves. */
export const DEFAULT_PAYLOAD_DIR = '.lambdakit/payloads';

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(path)));
    else if (entry.isFile()) out.push(path);
  }
  return out;
}

/**
 * Seeds the local S3 from `dir`: each folder is a bucket, each file under it an object whose key is
 * its path there (`/`-separated). The default folder may be absent; a folder given with `--payloads`
 * may not. Returns how many objects were stored.
 */
export async function seedPayloads(s3: LocalS3, dir: string, given: boolean): Promise<number> {
  const info = await stat(dir).catch(() => undefined);
  if (info === undefined || !info.isDirectory()) {
    if (!given) return 0;
    throw new CliError(
      'CLI_INVALID_INPUT',
      `--payloads ${dir}: not a folder (one folder per bucket, a file per object)`,
      {
        file: dir,
      },
    );
  }
  let count = 0;
  for (const bucket of await readdir(dir, { withFileTypes: true })) {
    if (!bucket.isDirectory()) continue;
    try {
      await s3.createBucket(bucket.name);
    } catch (error) {
      throw new CliError(
        'CLI_INVALID_INPUT',
        `--payloads ${dir}: ${bucket.name} is not a bucket name: ${(error as Error).message}`,
        {
          file: dir,
        },
      );
    }
    const root = join(dir, bucket.name);
    for (const file of await filesUnder(root)) {
      await s3.putObject(bucket.name, relative(root, file).split(sep).join('/'), await readFile(file));
      count++;
    }
  }
  return count;
}
