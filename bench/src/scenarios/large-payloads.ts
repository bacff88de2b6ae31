// Issue 25: what reading extended-client pointers costs. A 10-record SQS batch through
// @lambdakit/batch with `sqs(Order)` and with `sqs(Order, { largePayloads })`, no record a pointer
// (the cost of being ready), and with one record's 100 KB body in S3 (the cost of a fetch from an
// S3-compatible server on 127.0.0.1, @20minutes/s3rver from @lambdakit/testing).
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { missing } from '../lib/available.js';
import { contexts, orderBody, sqsOrderBatch } from '../lib/events.js';
import { fmtFigure, fmtNs, type Table } from '../lib/report.js';
import { runScenario } from '../lib/scenario.js';
import { settings } from '../lib/settings.js';
import { summarize } from '../lib/stats.js';
import { Order } from '../variants/order.js';

type Call = () => Promise<unknown>;

async function batch(call: Call, n: number): Promise<number> {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await call();
  return Number(process.hrtime.bigint() - t0) / n;
}

await runScenario(async () => {
  const absent = await missing([
    { pkg: '@lambdakit/parser', exports: ['sqs', 'hasLargePayloads'] },
    { pkg: '@lambdakit/testing', exports: ['startLocalS3'] },
    '@lambdakit/batch',
  ]);
  const base = {
    id: 'large-payloads',
    title: 'Large payloads through S3 (issue 25)',
    measures:
      'A 10-record SQS batch (order bodies) through `processBatch` with `sqs(Order)` and with `sqs(Order, { largePayloads: ' +
      's3Payloads({ client }) })`: no record a pointer (batches of calls, rounds interleaved), then one record whose ' +
      `100 KB body is in S3 (${settings.idempotencyInvocations} invocations each, interleaved), from @20minutes/s3rver on 127.0.0.1.`,
    notes: [] as string[],
    awaiting: absent.map((a) => `large-payloads needs ${a}`),
  };
  if (absent.length > 0) return { ...base, tables: [] };
  const { sqs } = await import('@lambdakit/parser');
  const { s3Payloads, formatPointer } = await import('@lambdakit/parser/large-payloads');
  const { processBatch } = await import('@lambdakit/batch');
  const { startLocalS3 } = await import('@lambdakit/testing');
  const server = await startLocalS3({ buckets: ['bench-payloads'] });
  const client = new S3Client({ ...server.clientConfig, maxAttempts: 1 });
  const body = orderBody('big', 1);
  const big = JSON.stringify({ ...JSON.parse(body), note: 'x'.repeat(100_000) });
  await client.send(new PutObjectCommand({ Bucket: 'bench-payloads', Key: 'big', Body: big }));
  const ctx = contexts(1)[0]!;
  const inline = sqsOrderBatch(10);
  const withPointer = structuredClone(inline) as { Records: Record<string, unknown>[] };
  withPointer.Records[0]!.body = formatPointer({ bucket: 'bench-payloads', key: 'big' });
  withPointer.Records[0]!.messageAttributes = {
    ExtendedPayloadSize: {
      stringValue: String(big.length),
      stringListValues: [],
      binaryListValues: [],
      dataType: 'Number',
    },
  };
  const plain = sqs(Order);
  const ready = sqs(Order, { largePayloads: s3Payloads({ client }) });
  const handler = async () => {};
  const calls: Record<string, Call> = {
    '`sqs(Order)`, no pointer': () => processBatch(inline, ctx, handler, { schema: plain }),
    '`sqs(Order, { largePayloads })`, no pointer': () => processBatch(inline, ctx, handler, { schema: ready }),
  };
  const fetchCalls: Record<string, Call> = {
    '`sqs(Order)`, all inline': () => processBatch(inline, ctx, handler, { schema: plain }),
    '`sqs(Order, { largePayloads })`, one 100 KB body in S3': () =>
      processBatch(withPointer, ctx, handler, { schema: ready }),
  };
  for (const call of [...Object.values(calls), ...Object.values(fetchCalls)]) for (let i = 0; i < 20; i++) await call();
  const ns: Record<string, number[]> = Object.fromEntries(Object.keys(calls).map((k) => [k, []]));
  for (let round = 0; round < settings.rounds; round++) {
    for (const [name, call] of Object.entries(calls)) ns[name]!.push(await batch(call, 2_000));
  }
  const ms: Record<string, number[]> = Object.fromEntries(Object.keys(fetchCalls).map((k) => [k, []]));
  for (let i = 0; i < settings.idempotencyInvocations; i++) {
    for (const [name, call] of Object.entries(fetchCalls)) {
      const t0 = process.hrtime.bigint();
      await call();
      ms[name]!.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
  }
  client.destroy();
  await server.close();
  const first = summarize(Object.values(ns)[0]!).median;
  const firstMs = summarize(Object.values(ms)[0]!).median;
  const table: Table = {
    title: 'A 10-record SQS batch, ready for pointers and fetching one',
    columns: ['batch', 'time per batch', 'added'],
    rows: [
      ...Object.entries(ns).map(([name, samples], i) => {
        const f = summarize(samples);
        return [name, fmtNs(f), i === 0 ? '—' : `${(f.median - first).toFixed(0)} ns`];
      }),
      ...Object.entries(ms).map(([name, samples], i) => {
        const f = summarize(samples);
        return [name, fmtFigure(f, 'ms'), i === 0 ? '—' : `${(f.median - firstMs).toFixed(3)} ms`];
      }),
    ],
  };
  base.notes.push(
    'Without a pointer the option costs one `hasLargePayloads` lookup and one attribute check per record. A fetch from ' +
      'the local server costs about what a GetObject in the same region costs for a small object (a few ms); a large ' +
      'object adds its transfer.',
  );
  return { ...base, tables: [table] };
});
