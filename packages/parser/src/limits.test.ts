import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { alb } from './alb.js';
import { apigwHttp } from './apigw-http.js';
import { apigwRest } from './apigw-rest.js';
import { cloudwatchLogs } from './cloudwatch-logs.js';
import { firehose } from './firehose.js';
import { json } from './json.js';
import { kinesis } from './kinesis.js';
import { lambdaUrl } from './lambda-url.js';
import type { PayloadOptions } from './limits.js';
import { sns } from './sns.js';
import { snsInSqs } from './sns-in-sqs.js';
import { sqs } from './sqs.js';

const doors: [string, (options: PayloadOptions) => unknown][] = [
  ['sqs', (options) => sqs(z.unknown(), options)],
  ['snsInSqs', (options) => snsInSqs(z.unknown(), options)],
  ['sns', (options) => sns(z.unknown(), options)],
  ['kinesis', (options) => kinesis(z.unknown(), options)],
  ['firehose', (options) => firehose(z.unknown(), options)],
  ['apigwRest', (options) => apigwRest(z.unknown(), options)],
  ['apigwHttp', (options) => apigwHttp(z.unknown(), options)],
  ['alb', (options) => alb(z.unknown(), options)],
  ['lambdaUrl', (options) => lambdaUrl(z.unknown(), options)],
  ['cloudwatchLogs', (options) => cloudwatchLogs(z.unknown(), options)],
  ['json', (options) => json(z.unknown(), options)],
];

describe('payload helper limits', () => {
  it.each(doors)('%s() takes the defaults, an empty override and limits left undefined', (_, build) => {
    expect(() => build({})).not.toThrow();
    expect(() => build({ limits: undefined })).not.toThrow();
    expect(() => build({ limits: { maxBodyBytes: undefined, maxDepth: 8 } })).not.toThrow();
  });

  it.each(doors)('%s() throws a TypeError naming itself and the bad limit, when called', (door, build) => {
    expect(() => build({ limits: { maxDecompressedBytes: -1 } })).toThrow(
      new TypeError(`${door}({ limits }): expected limits.maxDecompressedBytes to be a positive integer, got -1`),
    );
  });

  it.each([
    ['zero', { maxBodyBytes: 0 }, 'limits.maxBodyBytes to be a positive integer, got 0'],
    ['a fraction', { maxDepth: 1.5 }, 'limits.maxDepth to be a positive integer, got 1.5'],
    ['NaN', { maxLogEvents: Number.NaN }, 'limits.maxLogEvents to be a positive integer, got NaN'],
    [
      'Infinity',
      { maxBodyBytes: Number.POSITIVE_INFINITY },
      'limits.maxBodyBytes to be a positive integer, got Infinity',
    ],
    ['a numeric string', { maxDepth: '8' }, 'limits.maxDepth to be a positive integer, got 8'],
    ['a number', 5, 'an object of limits, got number'],
    ['null', null, 'an object of limits, got null'],
  ])('refuses %s as limits', (_, limits, expected) => {
    expect(() => sqs(z.unknown(), { limits } as PayloadOptions)).toThrow(
      new TypeError(`sqs({ limits }): expected ${expected}`),
    );
  });
});
