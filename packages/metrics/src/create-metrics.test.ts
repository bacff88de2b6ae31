import fs from 'node:fs';
import { LambdakitError } from '@lambdakit/core';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { lineSink, parseEmf } from '../test/emf-spec.js';
import { createMetrics, EMF_LIMITS, MetricsError, type MetricUnit, metricUnits } from './index.js';

const NOW = 1_700_000_000_000;
const clock = () => NOW;

function setup(options: Parameters<typeof createMetrics>[0] = {}) {
  const sink = lineSink();
  const m = createMetrics({ namespace: 'Shop', now: clock, destination: sink, ...options });
  return { m, sink };
}

function thrown(fn: () => unknown): MetricsError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(MetricsError);
    return error as MetricsError;
  }
  throw new Error('expected a MetricsError, nothing was thrown');
}

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe('createMetrics(): the EMF object', () => {
  it('writes one EMF line with Timestamp, Namespace, the dimension set and each metric, values at the top level', () => {
    const { m, sink } = setup({ service: 'orders', defaultDimensions: { Environment: 'prod' } });
    m.add('OrdersPlaced', 'Count', 1);
    m.add('Latency', 'Milliseconds', 12.5);
    m.flush();
    expect(sink.lines).toHaveLength(1);
    const emf = parseEmf(sink.lines[0]!);
    expect(emf).toEqual({
      _aws: {
        Timestamp: NOW,
        CloudWatchMetrics: [
          {
            Namespace: 'Shop',
            Dimensions: [['Service', 'Environment']],
            Metrics: [
              { Name: 'OrdersPlaced', Unit: 'Count' },
              { Name: 'Latency', Unit: 'Milliseconds' },
            ],
          },
        ],
      },
      Service: 'orders',
      Environment: 'prod',
      OrdersPlaced: 1,
      Latency: 12.5,
    });
    // `_aws` comes first, so the metric directive is the first thing a reader of the log sees.
    expect(Object.keys(emf)[0]).toBe('_aws');
  });

  it('collects the values of a metric added several times as an array, in order', () => {
    const { m, sink } = setup();
    m.add('Latency', 'Milliseconds', 3);
    m.add('Latency', 'Milliseconds', 1);
    m.add('Latency', 'Milliseconds', 2);
    m.flush();
    expect(sink.objects()[0]!.Latency).toEqual([3, 1, 2]);
  });

  it('writes an empty dimension set when there is no service and no dimension (metrics without dimensions)', () => {
    const { m, sink } = setup();
    m.add('Jobs', 'Count', 2);
    m.flush();
    expect(sink.objects()[0]!._aws.CloudWatchMetrics[0]!.Dimensions).toEqual([[]]);
  });

  it('adds dimensions to the main set with addDimension, after the service and default dimensions', () => {
    const { m, sink } = setup({ service: 'orders' });
    m.addDimension('Tenant', 'acme');
    m.addDimension('Region', 'eu-west-1');
    m.add('Orders', 'Count', 1);
    m.flush();
    const [emf] = sink.objects();
    expect(emf!._aws.CloudWatchMetrics[0]!.Dimensions).toEqual([['Service', 'Tenant', 'Region']]);
    expect(emf).toMatchObject({ Service: 'orders', Tenant: 'acme', Region: 'eu-west-1' });
  });

  it('writes several dimension sets, each with the default dimensions, the values once at the top level', () => {
    const { m, sink } = setup({ service: 'orders', defaultDimensions: { Environment: 'prod' } });
    m.addDimension('Tenant', 'acme');
    m.addDimensionSet({ PaymentMethod: 'card' });
    m.addDimensionSet({ PaymentMethod: 'card', Country: 'FR' });
    m.add('Revenue', 'None', 99.9);
    m.flush();
    const [emf] = sink.objects();
    expect(emf!._aws.CloudWatchMetrics[0]!.Dimensions).toEqual([
      ['Service', 'Environment', 'Tenant'],
      ['Service', 'Environment', 'PaymentMethod'],
      ['Service', 'Environment', 'PaymentMethod', 'Country'],
    ]);
    expect(emf).toMatchObject({
      Service: 'orders',
      Environment: 'prod',
      Tenant: 'acme',
      PaymentMethod: 'card',
      Country: 'FR',
    });
  });

  it('writes a dimension set only once even when added twice or in another order', () => {
    const { m, sink } = setup();
    m.addDimensionSet({ A: '1', B: '2' });
    m.addDimensionSet({ B: '2', A: '1' });
    m.add('X', 'Count', 1);
    m.flush();
    expect(sink.objects()[0]!._aws.CloudWatchMetrics[0]!.Dimensions).toEqual([[], ['A', 'B']]);
  });

  it('marks high-resolution metrics with StorageResolution 1 and leaves standard ones at EMF’s default (60)', () => {
    const { m, sink } = setup();
    m.add('Standard', 'Count', 1);
    m.add('Fast', 'Count', 1, 'high');
    m.setResolution('high');
    m.add('AlsoFast', 'Milliseconds', 5);
    m.add('ExplicitStandard', 'Milliseconds', 5, 'standard');
    m.flush();
    expect(sink.objects()[0]!._aws.CloudWatchMetrics[0]!.Metrics).toEqual([
      { Name: 'Standard', Unit: 'Count' },
      { Name: 'Fast', Unit: 'Count', StorageResolution: 1 },
      { Name: 'AlsoFast', Unit: 'Milliseconds', StorageResolution: 1 },
      { Name: 'ExplicitStandard', Unit: 'Milliseconds' },
    ]);
  });

  it('uses the resolution option as the default for every metric', () => {
    const { m, sink } = setup({ resolution: 'high' });
    m.add('Fast', 'Count', 1);
    m.flush();
    expect(sink.objects()[0]!._aws.CloudWatchMetrics[0]!.Metrics).toEqual([
      { Name: 'Fast', Unit: 'Count', StorageResolution: 1 },
    ]);
  });

  it('writes metadata as searchable top-level fields that are not dimensions, as a snapshot of the value', () => {
    const { m, sink } = setup({ service: 'orders' });
    const order = { id: 'o-1', items: [1, 2] };
    m.addMetadata('order', order);
    m.addMetadata('attempt', 2);
    order.id = 'changed later';
    m.add('Orders', 'Count', 1);
    m.flush();
    const [emf] = sink.objects();
    expect(emf).toMatchObject({ order: { id: 'o-1', items: [1, 2] }, attempt: 2 });
    expect(emf!._aws.CloudWatchMetrics[0]!.Dimensions.flat()).not.toContain('order');
    expect(emf!._aws.CloudWatchMetrics[0]!.Metrics.map((d) => d.Name)).toEqual(['Orders']);
  });

  it('accepts every CloudWatch unit', () => {
    const { m, sink } = setup();
    metricUnits.forEach((unit, i) => void m.add(`M${i}`, unit, i));
    m.flush();
    expect(sink.objects()[0]!._aws.CloudWatchMetrics[0]!.Metrics.map((d) => d.Unit)).toEqual([...metricUnits]);
    expect(metricUnits).toHaveLength(27);
  });

  it('takes the timestamp from the clock at flush time', () => {
    let now = NOW;
    const sink = lineSink();
    const m = createMetrics({ namespace: 'Shop', destination: sink, now: () => now });
    m.add('X', 'Count', 1);
    now = NOW + 1000;
    m.flush();
    expect(sink.objects()[0]!._aws.Timestamp).toBe(NOW + 1000);
  });

  it('is checked against a spec that refuses a Timestamp in seconds', () => {
    const { m, sink } = setup({ now: () => NOW / 1000 });
    m.add('X', 'Count', 1);
    m.flush();
    expect(() => parseEmf(sink.lines[0]!)).toThrow(/milliseconds/);
  });

  it('writes the Timestamp in epoch milliseconds by default (Date.now)', () => {
    const sink = lineSink();
    const m = createMetrics({ namespace: 'Shop', destination: sink });
    m.add('X', 'Count', 1);
    const before = Date.now();
    m.flush();
    const after = Date.now();
    const { Timestamp } = sink.objects()[0]!._aws;
    expect(Timestamp).toBeGreaterThanOrEqual(before);
    expect(Timestamp).toBeLessThanOrEqual(after);
  });
});

describe('createMetrics(): EMF limits', () => {
  it('splits more than 100 metrics into several EMF objects of at most 100, each with the dimensions and metadata', () => {
    const { m, sink } = setup({ service: 'orders' });
    m.addMetadata('batch', 'b-1');
    for (let i = 0; i < 250; i++) m.add(`Metric${i}`, 'Count', i);
    m.flush();
    const objects = sink.objects();
    expect(objects.map((o) => o._aws.CloudWatchMetrics[0]!.Metrics.length)).toEqual([100, 100, 50]);
    const names = objects.flatMap((o) => o._aws.CloudWatchMetrics[0]!.Metrics.map((d) => d.Name));
    expect(names).toEqual(Array.from({ length: 250 }, (_, i) => `Metric${i}`));
    for (const o of objects) {
      expect(o).toMatchObject({ Service: 'orders', batch: 'b-1' });
      expect(o._aws.CloudWatchMetrics[0]!.Dimensions).toEqual([['Service']]);
      // Only this object's metrics are at its top level.
      const own = new Set(o._aws.CloudWatchMetrics[0]!.Metrics.map((d) => d.Name));
      for (const key of Object.keys(o)) if (key.startsWith('Metric')) expect(own.has(key)).toBe(true);
    }
    expect(objects[2]!.Metric249).toBe(249);
  });

  it('splits more than 100 values of one metric across EMF objects, keeping every value once and in order', () => {
    const { m, sink } = setup();
    for (let i = 0; i < 250; i++) m.add('Latency', 'Milliseconds', i);
    m.add('Orders', 'Count', 7);
    m.flush();
    const objects = sink.objects();
    expect(objects).toHaveLength(3);
    const latency = objects.flatMap((o) => (o.Latency === undefined ? [] : [o.Latency].flat()));
    expect(latency).toEqual(Array.from({ length: 250 }, (_, i) => i));
    expect((objects[0]!.Latency as number[]).length).toBe(100);
    // A metric with fewer values appears once, in the first object only.
    expect(objects.map((o) => o.Orders)).toEqual([7, undefined, undefined]);
    expect(objects[2]!._aws.CloudWatchMetrics[0]!.Metrics).toEqual([{ Name: 'Latency', Unit: 'Milliseconds' }]);
  });

  it('writes a single leftover value as a number, not a one-element array', () => {
    const { m, sink } = setup();
    for (let i = 0; i < 101; i++) m.add('Latency', 'Milliseconds', i);
    m.flush();
    expect(sink.objects()[1]!.Latency).toBe(100);
  });

  it('splits on both limits at once (150 metrics with 150 values each) into valid objects holding every value', () => {
    const { m, sink } = setup();
    for (let v = 0; v < 150; v++) for (let i = 0; i < 150; i++) m.add(`M${i}`, 'Count', v);
    m.flush();
    const objects = sink.objects();
    expect(objects).toHaveLength(4);
    let total = 0;
    for (const o of objects) for (const d of o._aws.CloudWatchMetrics[0]!.Metrics) total += [o[d.Name]].flat().length;
    expect(total).toBe(150 * 150);
  });

  /** What two metrics and a metadata field of `padLength` characters flush to. */
  const padded = (padLength: number) => {
    const { m, sink } = setup({ service: 'orders' });
    m.addMetadata('pad', 'p'.repeat(padLength));
    m.add('A', 'Count', 1);
    m.add('B', 'Count', 2);
    m.flush();
    return sink;
  };
  /** Bytes of that line, its newline included, without the padding. */
  const unpaddedBytes = () => Buffer.byteLength(padded(0).lines[0]!) + 1;

  it('keeps a line of exactly 262,118 bytes with its newline (CloudWatch Logs’ event limit) whole', () => {
    const exact = padded(EMF_LIMITS.lineBytes - unpaddedBytes());
    expect(exact.lines).toHaveLength(1);
    expect(Buffer.byteLength(exact.lines[0]!) + 1).toBe(EMF_LIMITS.lineBytes);
    expect(exact.objects()[0]).toMatchObject({ A: 1, B: 2 });
  });

  it('splits a line one byte over the limit into lines that each repeat the dimensions and metadata', () => {
    const over = padded(EMF_LIMITS.lineBytes - unpaddedBytes() + 1);
    const objects = over.objects();
    expect(objects).toHaveLength(2);
    expect(objects.map((o) => o._aws.CloudWatchMetrics[0]!.Metrics.map((d) => d.Name))).toEqual([['A'], ['B']]);
    expect(objects).toMatchObject([{ A: 1 }, { B: 2 }]);
    for (const o of objects) {
      expect(o.Service).toBe('orders');
      expect(o.pad).toHaveLength(EMF_LIMITS.lineBytes - unpaddedBytes() + 1);
    }
  });

  it('splits 100 metrics of 100 values each, too long for one line even without metadata, keeping every value in order', () => {
    const { m, sink } = setup({ service: 'orders' });
    // 255-character names and 23-character values: about 290 KB in one object.
    const names = Array.from({ length: 100 }, (_, i) => `${String(i).padStart(3, '0')}${'n'.repeat(252)}`);
    const value = (i: number, v: number) => -1.2345678901234e-300 * (i * 100 + v + 1);
    for (const [i, name] of names.entries())
      for (let v = 0; v < 100; v++) m.add(name, 'Milliseconds', value(i, v), 'high');
    m.flush();
    const objects = sink.objects();
    expect(objects.length).toBeGreaterThan(1);
    for (const o of objects) {
      expect(o.Service).toBe('orders');
      expect(o._aws.CloudWatchMetrics[0]!.Dimensions).toEqual([['Service']]);
      for (const d of o._aws.CloudWatchMetrics[0]!.Metrics)
        expect(d).toMatchObject({ Unit: 'Milliseconds', StorageResolution: 1 });
    }
    for (const [i, name] of names.entries()) {
      const values = objects.flatMap((o) => (o[name] === undefined ? [] : [o[name]].flat()));
      expect(values).toEqual(Array.from({ length: 100 }, (_, v) => value(i, v)));
    }
  });

  it('splits one metric’s values across lines when large metadata leaves room for only a few per line', () => {
    const { m, sink } = setup();
    m.addMetadata('payload', 'q'.repeat(EMF_LIMITS.lineBytes - 600));
    for (let v = 0; v < 100; v++) m.add('Latency', 'Milliseconds', 1000.123456789 + v);
    m.flush();
    const objects = sink.objects();
    expect(objects.length).toBeGreaterThan(1);
    expect(objects.flatMap((o) => [o.Latency].flat())).toEqual(
      Array.from({ length: 100 }, (_, v) => 1000.123456789 + v),
    );
    for (const o of objects) expect((o.payload as string).length).toBe(EMF_LIMITS.lineBytes - 600);
  });

  it('rejects at addMetadata, naming it, metadata too large for any line, and keeps the rest', () => {
    const { m, sink } = setup({ service: 'orders' });
    const error = thrown(() => m.addMetadata('payload', 'x'.repeat(EMF_LIMITS.lineBytes)));
    expect(error).toMatchObject({ code: 'METRICS_LINE_TOO_LARGE', key: 'payload' });
    expect(error.message).toContain('"payload"');
    expect(error.message).toContain('262118');
    // Multi-byte characters count as their UTF-8 bytes, not as UTF-16 code units.
    expect(thrown(() => m.addMetadata('accents', 'é'.repeat(EMF_LIMITS.lineBytes / 2))).key).toBe('accents');
    m.addMetadata('note', 'kept');
    m.add('Orders', 'Count', 1);
    m.flush();
    expect(sink.objects()).toMatchObject([{ Orders: 1, note: 'kept' }]);
    expect(sink.objects()[0]!.payload).toBeUndefined();
  });

  it('writes the metrics without the metadata, then throws METRICS_LINE_TOO_LARGE naming the largest field, when the metadata together cannot fit', () => {
    const { m, sink } = setup({ service: 'orders' });
    m.addMetadata('small', 's');
    m.addMetadata('first', 'a'.repeat(120_000));
    m.addMetadata('second', 'b'.repeat(150_000));
    m.add('Orders', 'Count', 1);
    const error = thrown(() => m.flush());
    expect(error).toMatchObject({ code: 'METRICS_LINE_TOO_LARGE', key: 'second' });
    expect(sink.objects()).toMatchObject([{ Service: 'orders', Orders: 1 }]);
    expect(sink.objects()[0]!.first).toBeUndefined();
    // Flushed all the same: nothing is written twice.
    m.flush();
    expect(sink.lines).toHaveLength(1);
  });

  it('rejects a 31st dimension in one set, naming it (EMF allows 30)', () => {
    const defaults = Object.fromEntries(Array.from({ length: 29 }, (_, i) => [`D${i}`, 'v']));
    const { m } = setup({ service: 'orders', defaultDimensions: defaults });
    const error = thrown(() => m.addDimension('OneTooMany', 'v'));
    expect(error).toMatchObject({ code: 'METRICS_DIMENSION_LIMIT', key: 'OneTooMany', value: 31 });
    expect(error.message).toContain('30');
    expect(thrown(() => m.addDimensionSet({ X: '1' })).code).toBe('METRICS_DIMENSION_LIMIT');
  });

  it('accepts exactly 30 dimensions in a set', () => {
    const { m, sink } = setup();
    for (let i = 0; i < 30; i++) m.addDimension(`D${i}`, `v${i}`);
    m.add('X', 'Count', 1);
    m.flush();
    expect(sink.objects()[0]!._aws.CloudWatchMetrics[0]!.Dimensions[0]).toHaveLength(30);
  });

  it('rejects more than 30 default dimensions when created', () => {
    const defaults = Object.fromEntries(Array.from({ length: 31 }, (_, i) => [`D${i}`, 'v']));
    expect(thrown(() => createMetrics({ namespace: 'Shop', defaultDimensions: defaults })).code).toBe(
      'METRICS_DIMENSION_LIMIT',
    );
  });

  it('exposes the limits it enforces', () => {
    expect(EMF_LIMITS).toMatchObject({
      metricsPerObject: 100,
      dimensionsPerSet: 30,
      valuesPerMetric: 100,
      nameLength: 255,
      lineBytes: 262_118,
    });
    expect(Object.isFrozen(EMF_LIMITS)).toBe(true);
  });
});

describe('createMetrics(): invalid input is an error at the call, naming the metric', () => {
  const invalidNames: [string, unknown][] = [
    ['empty', ''],
    ['only spaces', '   '],
    ['longer than 255 characters', 'x'.repeat(256)],
    ['non-ASCII', 'Latência'],
    ['a control character', 'Line\nBreak'],
    ['EMF’s reserved root key', '_aws'],
    ['not a string', 42],
  ];
  it.each(invalidNames)('rejects a metric name that is %s', (_label, name) => {
    const { m } = setup();
    const error = thrown(() => m.add(name as string, 'Count', 1));
    expect(error.code).toBe('METRICS_METRIC_INVALID');
    expect(error.value).toBe(name);
  });

  it('accepts a name of exactly 255 printable ASCII characters, spaces and punctuation included', () => {
    const { m, sink } = setup();
    m.add('y'.repeat(255), 'Count', 1);
    m.add('Orders placed (EU) / 5 min', 'Count', 1);
    m.flush();
    expect(sink.objects()[0]!['Orders placed (EU) / 5 min']).toBe(1);
  });

  it.each([['count'], ['Count/Minute'], ['ms'], [''], [undefined]])(
    'rejects the unit %j, naming the metric',
    (unit) => {
      const { m } = setup();
      const error = thrown(() => m.add('Latency', unit as MetricUnit, 1));
      expect(error).toMatchObject({ code: 'METRICS_METRIC_INVALID', key: 'Latency', value: unit });
      expect(error.message).toContain('"Latency"');
    },
  );

  it.each([
    [Number.NaN],
    [Number.POSITIVE_INFINITY],
    [Number.NEGATIVE_INFINITY],
    ['1'],
    [null],
    [2 ** 361],
    [-(2 ** 361)],
  ])('rejects the value %s, naming the metric', (value) => {
    const { m } = setup();
    const error = thrown(() => m.add('Revenue', 'None', value as number));
    expect(error).toMatchObject({ code: 'METRICS_METRIC_INVALID', key: 'Revenue' });
    expect(error.message).toContain('"Revenue"');
  });

  it('accepts zero, negative and fractional values and the extremes of CloudWatch’s range', () => {
    const { m, sink } = setup();
    for (const v of [0, -5, 0.001, 2 ** 360, -(2 ** 360)]) m.add('V', 'None', v);
    m.flush();
    expect(sink.objects()[0]!.V).toEqual([0, -5, 0.001, 2 ** 360, -(2 ** 360)]);
  });

  it('rejects an invalid resolution', () => {
    const { m } = setup();
    expect(thrown(() => m.add('X', 'Count', 1, 60 as never)).code).toBe('METRICS_METRIC_INVALID');
    expect(thrown(() => m.setResolution('fast' as never)).code).toBe('METRICS_METRIC_INVALID');
  });

  it('rejects the same metric added with another unit, and keeps the first values', () => {
    const { m, sink } = setup();
    m.add('Latency', 'Milliseconds', 5);
    const error = thrown(() => m.add('Latency', 'Seconds', 1));
    expect(error).toMatchObject({ code: 'METRICS_METRIC_CONFLICT', key: 'Latency', value: 'Seconds' });
    m.flush();
    expect(sink.objects()[0]!.Latency).toBe(5);
  });

  it('rejects the same metric added with another resolution', () => {
    const { m } = setup();
    m.add('Latency', 'Milliseconds', 5, 'high');
    expect(thrown(() => m.add('Latency', 'Milliseconds', 5)).code).toBe('METRICS_METRIC_CONFLICT');
  });

  it.each([
    ['empty name', '', 'v'],
    ['name starting with a colon', ':Tenant', 'v'],
    ['non-ASCII name', 'Région', 'v'],
    ['empty value', 'Tenant', ''],
    ['blank value', 'Tenant', '  '],
    ['non-string value', 'Tenant', 7],
    ['non-ASCII value', 'Tenant', 'café'],
    ['value over 1024 characters', 'Tenant', 'v'.repeat(1025)],
    ['reserved name', '_aws', 'v'],
  ])('rejects a dimension with an %s', (_label, name, value) => {
    const { m } = setup();
    expect(thrown(() => m.addDimension(name, value as string)).code).toBe('METRICS_DIMENSION_INVALID');
    expect(thrown(() => m.addDimensionSet({ [name]: value as string })).code).toBe('METRICS_DIMENSION_INVALID');
    expect(thrown(() => m.single('X', 'Count', 1, { [name]: value as string })).code).toBe('METRICS_DIMENSION_INVALID');
  });

  it('rejects a name used by a metric, a dimension and metadata at once (they share the top level)', () => {
    const { m } = setup({ service: 'orders' });
    m.add('Orders', 'Count', 1);
    m.addDimension('Tenant', 'acme');
    m.addMetadata('note', 'x');
    expect(thrown(() => m.addDimension('Orders', 'v'))).toMatchObject({ code: 'METRICS_KEY_CONFLICT', key: 'Orders' });
    expect(thrown(() => m.add('Tenant', 'Count', 1))).toMatchObject({ code: 'METRICS_KEY_CONFLICT', key: 'Tenant' });
    expect(thrown(() => m.add('Service', 'Count', 1))).toMatchObject({ code: 'METRICS_KEY_CONFLICT', key: 'Service' });
    expect(thrown(() => m.add('note', 'Count', 1))).toMatchObject({ code: 'METRICS_KEY_CONFLICT', key: 'note' });
    expect(thrown(() => m.addMetadata('Orders', 1))).toMatchObject({ code: 'METRICS_KEY_CONFLICT', key: 'Orders' });
    expect(thrown(() => m.addMetadata('Tenant', 1))).toMatchObject({ code: 'METRICS_KEY_CONFLICT', key: 'Tenant' });
    expect(thrown(() => m.addDimensionSet({ note: 'v' }))).toMatchObject({ code: 'METRICS_KEY_CONFLICT', key: 'note' });
  });

  it('rejects a dimension set giving another value to a dimension already set, and changes nothing', () => {
    const { m, sink } = setup({ service: 'orders' });
    m.addDimension('Tenant', 'acme');
    const error = thrown(() => m.addDimensionSet({ Region: 'eu', Tenant: 'other' }));
    expect(error).toMatchObject({ code: 'METRICS_DIMENSION_CONFLICT', key: 'Tenant', value: 'other' });
    expect(thrown(() => m.addDimensionSet({ Service: 'billing' })).code).toBe('METRICS_DIMENSION_CONFLICT');
    m.add('X', 'Count', 1);
    m.flush();
    const [emf] = sink.objects();
    expect(emf!.Region).toBeUndefined();
    expect(emf!._aws.CloudWatchMetrics[0]!.Dimensions).toEqual([['Service', 'Tenant']]);
  });

  it('lets addDimension replace a main-set value (defaults included) but not one a dimension set relies on', () => {
    const { m, sink } = setup({ defaultDimensions: { Environment: 'prod' } });
    m.addDimension('Tenant', 'a');
    m.addDimension('Tenant', 'b');
    m.addDimension('Environment', 'canary');
    m.addDimensionSet({ Region: 'eu' });
    m.addDimension('Region', 'eu');
    expect(thrown(() => m.addDimension('Region', 'us')).code).toBe('METRICS_DIMENSION_CONFLICT');
    m.add('X', 'Count', 1);
    m.flush();
    expect(sink.objects()[0]).toMatchObject({ Tenant: 'b', Environment: 'canary', Region: 'eu' });
  });

  it('keeps the default dimensions a dimension set relies on: addDimension cannot change their value afterwards', () => {
    const { m, sink } = setup({ service: 'orders', defaultDimensions: { Environment: 'prod' } });
    m.addDimensionSet({ Region: 'eu' });
    const error = thrown(() => m.addDimension('Environment', 'canary'));
    expect(error).toMatchObject({ code: 'METRICS_DIMENSION_CONFLICT', key: 'Environment', value: 'canary' });
    expect(thrown(() => m.addDimension('Service', 'billing')).code).toBe('METRICS_DIMENSION_CONFLICT');
    m.addDimension('Environment', 'prod'); // the same value changes nothing, so it is allowed
    m.add('X', 'Count', 1);
    m.flush();
    const [emf] = sink.objects();
    expect(emf).toMatchObject({ Service: 'orders', Environment: 'prod', Region: 'eu' });
    expect(emf!._aws.CloudWatchMetrics[0]!.Dimensions).toEqual([
      ['Service', 'Environment'],
      ['Service', 'Environment', 'Region'],
    ]);
  });

  it('rejects metadata that cannot be written as JSON, or with a reserved or empty key', () => {
    const { m } = setup();
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    const loop = thrown(() => m.addMetadata('loop', circular));
    expect(loop).toMatchObject({ code: 'METRICS_METADATA_INVALID', key: 'loop' });
    // JSON.stringify's own error, kept for whoever needs the detail.
    expect(loop.cause).toMatchObject({ name: 'TypeError', message: expect.stringContaining('circular') });
    expect(thrown(() => m.addMetadata('big', 10n)).code).toBe('METRICS_METADATA_INVALID');
    expect(thrown(() => m.addMetadata('fn', () => 1)).code).toBe('METRICS_METADATA_INVALID');
    expect(thrown(() => m.addMetadata('nothing', undefined)).code).toBe('METRICS_METADATA_INVALID');
    expect(thrown(() => m.addMetadata('_aws', 1)).code).toBe('METRICS_METADATA_INVALID');
    expect(thrown(() => m.addMetadata('', 1)).code).toBe('METRICS_METADATA_INVALID');
  });

  it('keeps "__proto__" and other hostile names as ordinary keys', () => {
    const { m, sink } = setup();
    m.add('__proto__', 'Count', 1);
    m.add('constructor', 'Count', 2);
    m.addMetadata('toString', 'meta');
    m.flush();
    const line = sink.lines[0]!;
    expect(line).toContain('"__proto__":1');
    expect(line).toContain('"constructor":2');
    expect(line).toContain('"toString":"meta"');
    expect(parseEmf(line)._aws.CloudWatchMetrics[0]!.Metrics.map((d) => d.Name)).toEqual(['__proto__', 'constructor']);
  });

  it('throws errors that are LambdakitErrors with a stable name and code', () => {
    const { m } = setup();
    const error = thrown(() => m.add('', 'Count', 1));
    expect(error).toBeInstanceOf(LambdakitError);
    expect(error.name).toBe('MetricsError');
  });

  // Mostly what CloudWatch accepts, so most runs reach the flush, and some of what it rejects.
  const printable = (maxLength: number) =>
    fc.string({
      unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
      minLength: 1,
      maxLength,
    });
  const mostly = <T, U>(valid: fc.Arbitrary<T>, invalid: fc.Arbitrary<U>) =>
    fc.oneof({ weight: 9, arbitrary: valid }, { weight: 1, arbitrary: invalid });
  const anyName = mostly(printable(255), fc.oneof(fc.string({ maxLength: 300, unit: 'binary' }), fc.constant('_aws')));
  const anyUnit = mostly(fc.constantFrom(...metricUnits), fc.string());
  const anyValue = mostly(
    fc.oneof(fc.double({ noNaN: true, min: -(2 ** 360), max: 2 ** 360 }), fc.integer()),
    fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, -(2 ** 361), '1'),
  );
  const anyDimension = fc.tuple(
    mostly(printable(255), fc.string({ maxLength: 40 })),
    mostly(printable(1024), fc.string()),
  );

  it('never writes anything else than valid EMF or throws anything else than a MetricsError, whatever the input', () => {
    let flushed = 0;
    const numRuns = 300;
    fc.assert(
      fc.property(
        anyName,
        anyUnit,
        anyValue,
        anyDimension,
        fc.option(fc.tuple(anyName, fc.jsonValue()), { nil: undefined }),
        (name, unit, value, [dimensionName, dimensionValue], metadata) => {
          const { m, sink } = setup();
          let dimension = true;
          try {
            m.addDimension(dimensionName, dimensionValue);
          } catch (error) {
            expect(error).toBeInstanceOf(MetricsError);
            dimension = false;
          }
          try {
            if (metadata !== undefined) m.addMetadata(...metadata);
          } catch (error) {
            expect(error).toBeInstanceOf(MetricsError);
          }
          try {
            m.add(name, unit as MetricUnit, value as number);
          } catch (error) {
            expect(error).toBeInstanceOf(MetricsError);
            expect((error as MetricsError).message.length).toBeGreaterThan(0);
            return;
          }
          m.flush();
          flushed++;
          expect(sink.lines).toHaveLength(1);
          const emf = parseEmf(sink.lines[0]!);
          expect(emf[name]).toBe(Object.is(value, -0) ? 0 : value);
          if (dimension) expect(emf[dimensionName]).toBe(dimensionValue);
        },
      ),
      { numRuns },
    );
    // The valid branch is the one under test: most runs must reach it.
    expect(flushed).toBeGreaterThan(numRuns / 2);
  });
});

describe('createMetrics(): flush, single and the sink', () => {
  it('starts afresh after a flush: metrics, added dimensions, metadata and resolution are cleared, defaults kept', () => {
    const { m, sink } = setup({ service: 'orders' });
    m.addDimension('Tenant', 'acme');
    m.addMetadata('note', 'x');
    m.setResolution('high');
    m.add('A', 'Count', 1);
    m.flush();
    m.add('B', 'Count', 2);
    m.flush();
    const [, second] = sink.objects();
    expect(second).toEqual({
      _aws: {
        Timestamp: NOW,
        CloudWatchMetrics: [{ Namespace: 'Shop', Dimensions: [['Service']], Metrics: [{ Name: 'B', Unit: 'Count' }] }],
      },
      Service: 'orders',
      B: 2,
    });
  });

  it('writes a single metric at once as its own object, with the default dimensions plus its own', () => {
    const { m, sink } = setup({ service: 'orders', defaultDimensions: { Environment: 'prod' } });
    m.addDimension('Tenant', 'acme');
    m.add('Orders', 'Count', 1);
    m.single('PaymentDeclined', 'Count', 1, { Provider: 'stripe', Environment: 'staging' });
    expect(sink.objects()).toEqual([
      {
        _aws: {
          Timestamp: NOW,
          CloudWatchMetrics: [
            {
              Namespace: 'Shop',
              Dimensions: [['Service', 'Environment', 'Provider']],
              Metrics: [{ Name: 'PaymentDeclined', Unit: 'Count' }],
            },
          ],
        },
        Service: 'orders',
        Environment: 'staging',
        Provider: 'stripe',
        PaymentDeclined: 1,
      },
    ]);
    m.flush();
    expect(sink.objects()[1]).toMatchObject({ Tenant: 'acme', Orders: 1, Environment: 'prod' });
    expect(sink.objects()[1]!.PaymentDeclined).toBeUndefined();
  });

  it('validates a single metric like any other', () => {
    const { m, sink } = setup();
    expect(thrown(() => m.single('', 'Count', 1)).code).toBe('METRICS_METRIC_INVALID');
    expect(thrown(() => m.single('X', 'Bogus' as MetricUnit, 1)).code).toBe('METRICS_METRIC_INVALID');
    expect(thrown(() => m.single('X', 'Count', Number.NaN)).code).toBe('METRICS_METRIC_INVALID');
    expect(thrown(() => m.single('X', 'Count', 1, { X: 'v' })).code).toBe('METRICS_KEY_CONFLICT');
    const many = Object.fromEntries(Array.from({ length: 31 }, (_, i) => [`D${i}`, 'v']));
    expect(thrown(() => m.single('X', 'Count', 1, many)).code).toBe('METRICS_DIMENSION_LIMIT');
    expect(sink.lines).toEqual([]);
  });

  it('writes nothing when flushed with no metrics, by default', () => {
    const { m, sink } = setup();
    const warning = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    m.flush();
    expect(sink.lines).toEqual([]);
    expect(warning).not.toHaveBeenCalled();
  });

  it('warns on an empty flush with onEmpty: warn', () => {
    const { m, sink } = setup({ onEmpty: 'warn' });
    const warning = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    m.flush();
    expect(sink.lines).toEqual([]);
    expect(warning).toHaveBeenCalledWith(expect.stringContaining('No metrics'), {
      type: 'LambdakitWarning',
      code: 'LAMBDAKIT_METRICS_EMPTY',
    });
  });

  it('throws on an empty flush with onEmpty: throw, but not when a single metric was written', () => {
    const { m } = setup({ onEmpty: 'throw' });
    expect(thrown(() => m.flush()).code).toBe('METRICS_EMPTY');
    m.single('X', 'Count', 1);
    expect(() => m.flush()).not.toThrow();
    expect(thrown(() => m.flush()).code).toBe('METRICS_EMPTY');
  });

  it('writes each EMF object by default to fd 1 synchronously, as one whole line in one write call', () => {
    const calls: [unknown, string][] = [];
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    vi.spyOn(fs, 'writeSync').mockImplementation(((fd: number, data: Uint8Array) => {
      calls.push([fd, Buffer.from(data).toString('utf8')]);
      return data.length;
    }) as typeof fs.writeSync);
    const m = createMetrics({ namespace: 'Shop' });
    for (let i = 0; i < 101; i++) m.add(`M${i}`, 'Count', 1);
    m.flush();
    // Written before flush() returns, never queued in Node's asynchronous stdout stream.
    expect(stdout).not.toHaveBeenCalled();
    expect(calls).toHaveLength(2);
    for (const [fd, text] of calls) {
      expect(fd).toBe(1);
      expect(text.endsWith('\n')).toBe(true);
      expect(text.indexOf('\n')).toBe(text.length - 1);
      parseEmf(text.slice(0, -1));
    }
  });

  it('writes the rest of a line after a partial write, and waits out a full pipe (EAGAIN) instead of losing it', () => {
    const written: Buffer[] = [];
    let attempt = 0;
    vi.spyOn(fs, 'writeSync').mockImplementation(((_fd: number, data: Uint8Array) => {
      attempt++;
      if (attempt === 2 || attempt === 3)
        throw Object.assign(new Error('EAGAIN: resource temporarily unavailable'), { code: 'EAGAIN' });
      // The pipe takes 7 bytes at a time.
      const taken = Buffer.from(data.subarray(0, 7));
      written.push(taken);
      return taken.length;
    }) as typeof fs.writeSync);
    const m = createMetrics({ namespace: 'Shop' });
    m.add('Orders', 'Count', 1);
    m.flush();
    const text = Buffer.concat(written).toString('utf8');
    expect(text.endsWith('\n')).toBe(true);
    expect(parseEmf(text.slice(0, -1))).toMatchObject({ Orders: 1 });
  });

  it('throws a write error other than EAGAIN from flush, writing nothing twice', () => {
    vi.spyOn(fs, 'writeSync').mockImplementation(() => {
      throw Object.assign(new Error('EBADF: bad file descriptor'), { code: 'EBADF' });
    });
    const m = createMetrics({ namespace: 'Shop' });
    m.add('Orders', 'Count', 1);
    expect(() => m.flush()).toThrow('EBADF');
  });

  it('does not write the same metrics twice when the sink throws', () => {
    let fail = true;
    const lines: string[] = [];
    const m = createMetrics({
      namespace: 'Shop',
      destination: {
        write: (line) => {
          if (fail) throw new Error('disk full');
          lines.push(line);
        },
      },
    });
    m.add('X', 'Count', 1);
    expect(() => m.flush()).toThrow('disk full');
    fail = false;
    m.flush();
    expect(lines).toEqual([]);
  });
});

describe('createMetrics(): options and environment', () => {
  it('takes the namespace and service from LAMBDAKIT_METRICS_NAMESPACE and LAMBDAKIT_SERVICE_NAME', () => {
    vi.stubEnv('LAMBDAKIT_METRICS_NAMESPACE', 'FromEnv');
    vi.stubEnv('LAMBDAKIT_SERVICE_NAME', 'env-service');
    const sink = lineSink();
    const m = createMetrics({ destination: sink });
    expect(m.namespace).toBe('FromEnv');
    m.add('X', 'Count', 1);
    m.flush();
    expect(sink.objects()[0]).toMatchObject({ Service: 'env-service' });
    expect(sink.objects()[0]!._aws.CloudWatchMetrics[0]!.Namespace).toBe('FromEnv');
  });

  it('prefers the options to the environment', () => {
    vi.stubEnv('LAMBDAKIT_METRICS_NAMESPACE', 'FromEnv');
    vi.stubEnv('LAMBDAKIT_SERVICE_NAME', 'env-service');
    const { m, sink } = setup({ namespace: 'FromOption', service: 'opt-service' });
    m.add('X', 'Count', 1);
    m.flush();
    expect(sink.objects()[0]).toMatchObject({ Service: 'opt-service' });
    expect(m.namespace).toBe('FromOption');
  });

  it('requires a namespace, explaining where to set it', () => {
    vi.stubEnv('LAMBDAKIT_METRICS_NAMESPACE', '');
    const error = thrown(() => createMetrics());
    expect(error.code).toBe('METRICS_NAMESPACE_INVALID');
    expect(error.message).toContain('LAMBDAKIT_METRICS_NAMESPACE');
  });

  it.each([['AWS/Lambda'], [':Shop'], ['Shop!'], ['Boutique é'], ['   '], ['n'.repeat(256)]])(
    'rejects the namespace %j',
    (namespace) => {
      expect(thrown(() => createMetrics({ namespace })).code).toBe('METRICS_NAMESPACE_INVALID');
    },
  );

  it('accepts namespaces with CloudWatch’s allowed punctuation', () => {
    expect(createMetrics({ namespace: 'My App/orders-v2_prod.eu#1:a' }).namespace).toBe('My App/orders-v2_prod.eu#1:a');
  });

  it('rejects an invalid service, default dimension or option', () => {
    expect(thrown(() => createMetrics({ namespace: 'Shop', service: '' })).code).toBe('METRICS_DIMENSION_INVALID');
    expect(thrown(() => createMetrics({ namespace: 'Shop', defaultDimensions: { ':x': 'v' } })).code).toBe(
      'METRICS_DIMENSION_INVALID',
    );
    expect(
      thrown(() => createMetrics({ namespace: 'Shop', service: 's', defaultDimensions: { Service: 'other' } })).code,
    ).toBe('METRICS_DIMENSION_CONFLICT');
    expect(thrown(() => createMetrics({ namespace: 'Shop', resolution: 'fast' as never })).code).toBe(
      'METRICS_METRIC_INVALID',
    );
  });

  it.each([
    [{ onEmpty: 'explode' }, "createMetrics({ onEmpty }): expected 'ignore', 'warn' or 'throw', got explode"],
    [{ destination: 'stdout' }, 'createMetrics({ destination }): expected an object with a write(line) method'],
    [
      { destination: { write: 'stdout' } },
      'createMetrics({ destination }): expected an object with a write(line) method',
    ],
    [{ now: 5 }, 'createMetrics({ now }): expected a function'],
    [{ defaultDimensions: 'Environment=prod' }, 'createMetrics({ defaultDimensions }): expected an object'],
  ])('rejects the option %o with a TypeError naming the door and the option', (bad, message) => {
    expect(() => createMetrics({ namespace: 'Shop', ...(bad as object) })).toThrow(
      expect.objectContaining({ name: 'TypeError', message }),
    );
  });

  it('rejects options that are not an object with a TypeError', () => {
    expect(() => createMetrics('Shop' as never)).toThrow(
      expect.objectContaining({ name: 'TypeError', message: 'createMetrics(options): expected an object' }),
    );
  });
});
