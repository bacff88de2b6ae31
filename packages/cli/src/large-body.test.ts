import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonLines, lambdakit, SPAWN_TIMEOUT_MS } from '../test/spawn-cli.js';

const POINTER_CLASS = 'software.amazon.payloadoffloading.PayloadS3Pointer';

describe('lambdakit events --large-body, then invoke --local-aws --payloads', { timeout: SPAWN_TIMEOUT_MS }, () => {
  it('makes an SQS event whose first body is a 2 MB payload in S3, which the local run serves', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lambdakit-large-body-'));
    const payloads = join(dir, 'payloads');
    const events = await lambdakit([
      'events',
      'sqs',
      '--records',
      '3',
      '--large-body',
      '2MB',
      '--payload-dir',
      payloads,
    ]);
    expect(events.code, events.stderr).toBe(0);
    const event = JSON.parse(events.stdout) as {
      Records: { body: string; messageAttributes: Record<string, { stringValue: string }> }[];
    };
    const [className, pointer] = JSON.parse(event.Records[0]!.body) as [
      string,
      { s3BucketName: string; s3Key: string },
    ];
    expect(className).toBe(POINTER_CLASS);
    expect(pointer.s3BucketName).toBe('lambdakit-payloads');
    expect(event.Records[0]!.messageAttributes.ExtendedPayloadSize?.stringValue).toBe(String(2 * 1024 * 1024));
    const file = join(payloads, 'lambdakit-payloads', pointer.s3Key);
    expect(statSync(file).size).toBe(2 * 1024 * 1024);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ orderId: expect.any(String) });
    writeFileSync(join(dir, 'event.json'), events.stdout);

    const run = await lambdakit([
      'invoke',
      'test/fixtures/large-body.mjs',
      '--event',
      join(dir, 'event.json'),
      '--local-aws',
      '--payloads',
      payloads,
      '--timeout',
      '30',
    ]);
    expect(run.code, run.stderr).toBe(0);
    const [result] = jsonLines(run.stdout) as [{ batchItemFailures: unknown[]; sizes: number[] }];
    expect(result.batchItemFailures).toEqual([]);
    expect(result.sizes.sort((a, b) => b - a)[0]).toBeGreaterThan(2 * 1024 * 1024 - 100);
    expect(run.stderr).toMatch(/S3 at http:\/\/127\.0\.0\.1:\d+/);
  });

  it("gives the size attribute the payload's real length when the body is already larger", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lambdakit-large-body-'));
    const events = await lambdakit(['events', 'sns', '--large-body', '10', '--payload-dir', dir]);
    expect(events.code, events.stderr).toBe(0);
    const event = JSON.parse(events.stdout) as {
      Records: { Sns: { Message: string; MessageAttributes: Record<string, { Value: string }> } }[];
    };
    const [, pointer] = JSON.parse(event.Records[0]!.Sns.Message) as [string, { s3BucketName: string; s3Key: string }];
    const size = statSync(join(dir, pointer.s3BucketName, pointer.s3Key)).size;
    expect(size).toBeGreaterThan(10);
    expect(event.Records[0]!.Sns.MessageAttributes.ExtendedPayloadSize?.Value).toBe(String(size));
  });

  it('refuses a size it cannot make, a source without messages, and a --payloads folder that is not there', async () => {
    const bad = await lambdakit(['events', 'sqs', '--large-body', '2XB']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('expected a size such as 300KB, 2MB or 1048576');
    const dir = mkdtempSync(join(tmpdir(), 'lambdakit-large-body-'));
    const kinesis = await lambdakit(['events', 'kinesis', '--large-body', '1KB', '--payload-dir', dir]);
    expect(kinesis.code).not.toBe(0);
    expect(kinesis.stderr).toContain('--large-body: takes an sqs or sns event, not kinesis');
    for (const bucket of ['../..', 'a/b', 'UP']) {
      const refused = await lambdakit([
        'events',
        'sqs',
        '--large-body',
        '1KB',
        '--payload-dir',
        dir,
        '--bucket',
        bucket,
      ]);
      expect(refused.code, bucket).not.toBe(0);
      expect(refused.stderr).toContain('expected an S3 bucket name');
    }
    expect(readdirSync(dir)).toEqual([]);
    expect(readdirSync(join(dir, '..')).filter((name) => name === 'payloads')).toEqual([]);
    const missing = await lambdakit([
      'invoke',
      'test/fixtures/echo.mjs',
      '--local-aws',
      '--payloads',
      join(dir, 'none'),
    ]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('none: not a folder (one folder per bucket, a file per object)');
    const noLocal = await lambdakit(['invoke', 'test/fixtures/echo.mjs', '--payloads', dir]);
    expect(noLocal.stderr).toContain('add --local-aws');
  });
});
