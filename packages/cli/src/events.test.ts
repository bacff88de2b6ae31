import { createHash } from 'node:crypto';
import { events } from '@lambdakit/parser';
import { describe, expect, it } from 'vitest';
import { lambdakit, SPAWN_TIMEOUT_MS } from '../test/spawn-cli.js';

const sources = Object.keys(events) as Array<keyof typeof events>;

async function sampleOf(args: string[]): Promise<unknown> {
  const run = await lambdakit(['events', ...args]);
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as unknown;
}

describe('lambdakit events', { timeout: SPAWN_TIMEOUT_MS }, () => {
  it('lists every source of the parser registry', async () => {
    const run = await lambdakit(['events', '--list']);
    expect(run.code).toBe(0);
    expect(run.stdout.trim().split('\n').sort()).toEqual([...sources].sort());
  });

  it.each(sources)('prints a %s event that @lambdakit/parser accepts', async (source) => {
    const event = await sampleOf([source]);
    expect(events[source].safeParse(event).error).toBeUndefined();
  });

  it('makes batches of --records records that still parse', async () => {
    const event = (await sampleOf(['sqs', '--records', '3'])) as { Records: Array<{ messageId: string }> };
    expect(event.Records).toHaveLength(3);
    expect(new Set(event.Records.map((record) => record.messageId)).size).toBe(3);
    expect(events.sqs.safeParse(event).error).toBeUndefined();
  });

  it('refuses --records for a source whose event is not a batch, naming those that take records, exit code 2', async () => {
    const run = await lambdakit(['events', 'eventbridge', '--records', '3']);
    expect(run).toMatchObject({ code: 2, stdout: '' });
    expect(run.stderr).toContain(
      '--records: eventbridge events are not batches; the sources that take records: sqs, sns, s3,',
    );
    expect(run.stderr).toMatch(/sources that take records: [^\n]*\bkinesis\b/);
    expect(run.stderr).not.toMatch(/sources that take records: [^\n]*\b(eventbridge|apigw-http)\b/);
  });

  it('applies --set assignments: dotted and indexed paths, JSON values, string fields kept strings', async () => {
    const event = (await sampleOf([
      'sqs',
      '--records',
      '2',
      '--set',
      'Records.1.body={"orderId":"o-7"}',
      '--set',
      'Records[0].messageAttributes.tenant={"dataType":"String","stringValue":"acme"}',
      '--compact',
    ])) as { Records: Array<{ body: string; messageAttributes: Record<string, unknown> }> };
    expect(event.Records[1]!.body).toBe('{"orderId":"o-7"}');
    expect(event.Records[0]!.messageAttributes.tenant).toEqual({ dataType: 'String', stringValue: 'acme' });
    expect(events.sqs.safeParse(event).error).toBeUndefined();
  });

  it('prints one line with --compact and indented JSON by default', async () => {
    const compact = await lambdakit(['events', 'eventbridge', '--compact']);
    expect(compact.stdout.trim().split('\n')).toHaveLength(1);
    const pretty = await lambdakit(['events', 'eventbridge']);
    expect(pretty.stdout).toMatch(/^\{\n {2}"/);
  });

  it('names the unknown source and lists the known ones, exit code 2', async () => {
    const run = await lambdakit(['events', 'carrier-pigeon']);
    expect(run).toMatchObject({ code: 2, stdout: '' });
    expect(run.stderr).toContain('unknown event source "carrier-pigeon"; known sources: ');
    expect(run.stderr).toContain('sqs');
  });

  it.each([['Records.9.body=x'], ['__proto__.polluted=1'], ['nopath']])(
    'rejects --set %s, exit code 2',
    async (assignment) => {
      const run = await lambdakit(['events', 'sqs', '--set', assignment]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`--set ${assignment.split('=')[0]}`);
    },
  );

  it('feeds `lambdakit invoke --event-source`', async () => {
    const run = await lambdakit(['invoke', 'test/fixtures/echo.mjs', '--event-source', 'sqs']);
    expect(run.code).toBe(0);
    const { event } = JSON.parse(run.stdout) as { event: unknown };
    expect(events.sqs.safeParse(event).error).toBeUndefined();
  });

  it('keeps an SQS message digest true to its body after --set changes the body', async () => {
    const run = await lambdakit(['events', 'sqs', '--records', '2', '--set', 'Records.1.body={"orderId":"o-9"}']);
    expect(run.code).toBe(0);
    const event = JSON.parse(run.stdout) as { Records: Array<{ body: string; md5OfBody: string }> };
    for (const record of event.Records) {
      expect(record.md5OfBody).toBe(createHash('md5').update(record.body).digest('hex'));
    }
    expect(event.Records[1]!.body).toBe('{"orderId":"o-9"}');
  });
});
