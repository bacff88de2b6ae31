import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidArnError, parseArn } from './parse-arn.js';

const BASE = 'arn:aws:lambda:eu-west-1:123456789012:function:orders';

describe('parseArn', () => {
  it('parses an unqualified ARN', () => {
    expect(parseArn(BASE)).toEqual({
      partition: 'aws',
      region: 'eu-west-1',
      accountId: '123456789012',
      functionName: 'orders',
      qualifier: undefined,
      qualifierKind: 'none',
      unqualifiedArn: BASE,
    });
  });

  it('recognises a version, $LATEST and an alias qualifier', () => {
    expect(parseArn(`${BASE}:7`)).toMatchObject({ qualifier: '7', qualifierKind: 'version', unqualifiedArn: BASE });
    expect(parseArn(`${BASE}:$LATEST`)).toMatchObject({ qualifier: '$LATEST', qualifierKind: 'latest' });
    expect(parseArn(`${BASE}:prod`)).toMatchObject({ qualifier: 'prod', qualifierKind: 'alias' });
    expect(parseArn(`${BASE}:blue-2_x`)).toMatchObject({ qualifier: 'blue-2_x', qualifierKind: 'alias' });
  });

  it('accepts the China and GovCloud partitions', () => {
    expect(parseArn('arn:aws-cn:lambda:cn-north-1:123456789012:function:f')).toMatchObject({ partition: 'aws-cn' });
    expect(parseArn('arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:f:1')).toMatchObject({
      partition: 'aws-us-gov',
      region: 'us-gov-west-1',
      qualifierKind: 'version',
    });
  });

  it.each([
    [42, /expected a string, got number/],
    [null, /expected a string, got null/],
    [undefined, /expected a string, got undefined/],
    ['', /at least 7/],
    ['arn:aws:s3:::bucket', /at least 7/],
    ['arn:aws:s3:eu-west-1:123456789012:function:orders', /service must be "lambda"/],
    ['urn:aws:lambda:eu-west-1:123456789012:function:orders', /must start with "arn:"/],
    ['arn:amazon:lambda:eu-west-1:123456789012:function:orders', /unknown partition/],
    ['arn:aws:lambda:europe:123456789012:function:orders', /invalid region/],
    ['arn:aws:lambda:eu-west-1:1234:function:orders', /account id must be 12 digits/],
    ['arn:aws:lambda:eu-west-1:123456789012:layer:orders', /resource type must be "function"/],
    ['arn:aws:lambda:eu-west-1:123456789012:function:', /invalid function name/],
    ['arn:aws:lambda:eu-west-1:123456789012:function:or/ders', /invalid function name/],
    [`${BASE}:pr.od`, /invalid qualifier/],
    [`${BASE}:`, /invalid qualifier/],
    [`${BASE}:${'a'.repeat(129)}`, /invalid qualifier/],
    [`${BASE}:007`, /invalid version/],
    [`${BASE}:prod:extra`, /at most 8/],
  ])('rejects %j, saying what is wrong', (input, message) => {
    expect(() => parseArn(input)).toThrow(InvalidArnError);
    expect(() => parseArn(input)).toThrow(message);
  });

  it('gives a typed error carrying the input and the reason', () => {
    try {
      parseArn('arn:aws:lambda:eu-west-1:1:function:f');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidArnError);
      expect(error).toMatchObject({
        name: 'InvalidArnError',
        code: 'CORE_INVALID_ARN',
        arn: 'arn:aws:lambda:eu-west-1:1:function:f',
      });
    }
  });

  const nameChars = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_'.split(''));
  const arnParts = fc.record({
    partition: fc.constantFrom('aws', 'aws-cn', 'aws-us-gov'),
    region: fc.constantFrom('us-east-1', 'eu-west-3', 'ap-southeast-2', 'cn-northwest-1', 'us-gov-east-1'),
    accountId: fc.stringMatching(/^\d{12}$/),
    functionName: fc.string({ unit: nameChars, minLength: 1, maxLength: 64 }),
    qualifier: fc.oneof(
      fc.constant(undefined),
      fc.constant('$LATEST'),
      fc.integer({ min: 1, max: 999_999 }).map(String),
      fc.string({ unit: nameChars, minLength: 1, maxLength: 128 }).filter((s) => !/^\d+$/.test(s)),
    ),
  });

  it('round-trips generated ARNs', () => {
    fc.assert(
      fc.property(arnParts, (parts) => {
        const unqualified = `arn:${parts.partition}:lambda:${parts.region}:${parts.accountId}:function:${parts.functionName}`;
        const arn = parts.qualifier === undefined ? unqualified : `${unqualified}:${parts.qualifier}`;
        const parsed = parseArn(arn);
        const qualifierKind =
          parts.qualifier === undefined
            ? 'none'
            : parts.qualifier === '$LATEST'
              ? 'latest'
              : /^\d+$/.test(parts.qualifier)
                ? 'version'
                : 'alias';
        expect(parsed).toMatchObject({ ...parts, qualifierKind, unqualifiedArn: unqualified });
        const rebuilt = `arn:${parsed.partition}:lambda:${parsed.region}:${parsed.accountId}:function:${parsed.functionName}${
          parsed.qualifier === undefined ? '' : `:${parsed.qualifier}`
        }`;
        expect(rebuilt).toBe(arn);
      }),
    );
  });

  it('either parses or throws InvalidArnError for any input, never anything else', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.anything(),
          arnParts.map((p) => `arn:${p.partition}:lambda:${p.region}:x`),
        ),
        (input) => {
          try {
            parseArn(input);
          } catch (error) {
            expect(error).toBeInstanceOf(InvalidArnError);
          }
        },
      ),
    );
  });
});
