import { LambdakitError } from './lambdakit-error.js';

/** How a Lambda function ARN is qualified. */
export type QualifierKind = 'none' | 'version' | 'latest' | 'alias';

/** The parts of a Lambda function ARN. */
export interface FunctionArn {
  partition: string;
  region: string;
  accountId: string;
  functionName: string;
  /** `undefined` for an unqualified ARN, else the version number, `$LATEST` or the alias name. */
  qualifier: string | undefined;
  qualifierKind: QualifierKind;
  /** The ARN without its qualifier. */
  unqualifiedArn: string;
}

/** A string that is not a valid Lambda function ARN; `reason` says which part is wrong. */
export class InvalidArnError extends LambdakitError<'CORE_INVALID_ARN'> {
  /** The value that was given as an ARN. */
  readonly arn: unknown;
  /** Which part is wrong, and how. */
  readonly reason: string;

  constructor(code: 'CORE_INVALID_ARN', message: string, details: { arn: unknown; reason: string }) {
    super(code, message);
    this.arn = details.arn;
    this.reason = details.reason;
  }
}

function invalidArn(arn: unknown, reason: string): InvalidArnError {
  return new InvalidArnError('CORE_INVALID_ARN', `Invalid Lambda function ARN ${describe(arn)}: ${reason}`, {
    arn,
    reason,
  });
}

const PARTITIONS = new Set([
  'aws',
  'aws-cn',
  'aws-us-gov',
  'aws-iso',
  'aws-iso-b',
  'aws-iso-e',
  'aws-iso-f',
  'aws-eusc',
]);
const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
const ACCOUNT = /^\d{12}$/;
// Lambda: function names are 1-64 characters of letters, digits, hyphens and underscores.
const FUNCTION_NAME = /^[A-Za-z0-9_-]{1,64}$/;
// Lambda: versions are positive integers; aliases are 1-128 characters of letters, digits,
// hyphens and underscores and must not be all digits.
const VERSION = /^[1-9]\d{0,9}$/;
const ALIAS = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * Parses a Lambda function ARN (`arn:aws:lambda:eu-west-1:123456789012:function:orders[:qualifier]`),
 * unqualified or qualified by a version, `$LATEST` or an alias. Throws {@link InvalidArnError}
 * naming the part that is wrong.
 */
export function parseArn(arn: unknown): FunctionArn {
  if (typeof arn !== 'string') throw invalidArn(arn, `expected a string, got ${typeOf(arn)}`);
  const parts = arn.split(':');
  if (parts.length < 7) throw invalidArn(arn, `expected at least 7 colon-separated parts, got ${parts.length}`);
  if (parts.length > 8) throw invalidArn(arn, `expected at most 8 colon-separated parts, got ${parts.length}`);
  const [prefix, partition, service, region, accountId, resourceType, functionName, qualifier] = parts as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string | undefined,
  ];
  if (prefix !== 'arn') throw invalidArn(arn, `must start with "arn:", got "${prefix}:"`);
  if (!PARTITIONS.has(partition)) throw invalidArn(arn, `unknown partition "${partition}"`);
  if (service !== 'lambda') throw invalidArn(arn, `service must be "lambda", got "${service}"`);
  if (!REGION.test(region)) throw invalidArn(arn, `invalid region "${region}"`);
  if (!ACCOUNT.test(accountId)) throw invalidArn(arn, `account id must be 12 digits, got "${accountId}"`);
  if (resourceType !== 'function') {
    throw invalidArn(arn, `resource type must be "function", got "${resourceType}"`);
  }
  if (!FUNCTION_NAME.test(functionName)) {
    throw invalidArn(arn, `invalid function name "${functionName}" (1-64 letters, digits, hyphens or underscores)`);
  }
  const unqualifiedArn = parts.slice(0, 7).join(':');
  const base = { partition, region, accountId, functionName, unqualifiedArn };
  if (qualifier === undefined) return { ...base, qualifier: undefined, qualifierKind: 'none' };
  if (qualifier === '$LATEST') return { ...base, qualifier, qualifierKind: 'latest' };
  if (/^\d+$/.test(qualifier)) {
    if (!VERSION.test(qualifier)) throw invalidArn(arn, `invalid version "${qualifier}"`);
    return { ...base, qualifier, qualifierKind: 'version' };
  }
  if (!ALIAS.test(qualifier)) {
    throw invalidArn(
      arn,
      `invalid qualifier "${qualifier}" (an alias is 1-128 letters, digits, hyphens or underscores)`,
    );
  }
  return { ...base, qualifier, qualifierKind: 'alias' };
}

function typeOf(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}

function describe(value: unknown): string {
  if (typeof value !== 'string') return `(${typeOf(value)})`;
  return JSON.stringify(value.length > 200 ? `${value.slice(0, 200)}…` : value);
}
