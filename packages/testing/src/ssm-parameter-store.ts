import type { LocalSsmParameter, LocalSsmParameterInput, LocalSsmParameterType } from './local-ssm-types.js';
import { ServiceError } from './service-error.js';
import { TYPES, validateName, validateValue } from './ssm-validation.js';

/** A parameter as SSM's JSON protocol returns it. */
export interface WireParameter {
  Name: string;
  Type: LocalSsmParameterType;
  Value: string;
  Version: number;
  LastModifiedDate: number;
  ARN: string;
  DataType: 'text';
}

/** The parameters of one local SSM endpoint, by full name, with SSM's versioning. */
export class SsmParameterStore {
  readonly parameters = new Map<string, LocalSsmParameter>();

  constructor(
    private readonly region: string,
    private readonly accountId: string,
  ) {}

  /** Creates or (with `overwrite`) replaces a parameter; returns its new version. */
  put(name: string, type: LocalSsmParameterType, value: string, overwrite: boolean): number {
    const existing = this.parameters.get(name);
    if (existing !== undefined && !overwrite) {
      throw new ServiceError(
        'ParameterAlreadyExists',
        'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.',
      );
    }
    const version = (existing?.version ?? 0) + 1;
    this.parameters.set(name, { name, type, value, version, lastModifiedDate: new Date() });
    return version;
  }

  /**
   * Stores a parameter a test gives directly (through `door`), checked as `PutParameter` would
   * check it; what SSM would refuse is the test's mistake, a `TypeError` naming the door.
   */
  seed(name: string, input: LocalSsmParameterInput, door: string): void {
    const { type, value } = normalizeInput(input, `${door}: parameter ${JSON.stringify(name)}`);
    try {
      validateName(name);
      validateValue(value);
    } catch (error) {
      if (error instanceof ServiceError) throw new TypeError(`${door}: ${error.message}`, { cause: error });
      throw error;
    }
    this.put(name, type, value, true);
  }

  /** The parameter as the protocol returns it. */
  toWire(p: LocalSsmParameter, decrypt: boolean): WireParameter {
    return {
      Name: p.name,
      Type: p.type,
      // SSM: without WithDecryption a SecureString comes back as its KMS ciphertext, never the plaintext.
      Value: p.type === 'SecureString' && !decrypt ? fakeCiphertext(p.value) : p.value,
      Version: p.version,
      LastModifiedDate: p.lastModifiedDate.getTime() / 1000,
      ARN: `arn:aws:ssm:${this.region}:${this.accountId}:parameter${p.name.startsWith('/') ? '' : '/'}${p.name}`,
      DataType: 'text',
    };
  }
}

/** Looks like a KMS ciphertext blob (base64, `AQICAH` header) and never contains the plaintext. */
function fakeCiphertext(plaintext: string): string {
  const bytes = Buffer.from(plaintext, 'utf8').map((b) => b ^ 0xa5);
  return `AQICAH${Buffer.concat([Buffer.from('local-kms'), bytes]).toString('base64')}`;
}

/** A seeded parameter as a type and its stored string (a list joined with commas, as SSM stores it). */
function normalizeInput(input: LocalSsmParameterInput, where: string): { type: LocalSsmParameterType; value: string } {
  if (typeof input === 'string') return { type: 'String', value: input };
  if (isStringArray(input)) return { type: 'StringList', value: input.join(',') };
  const value: unknown = input?.value;
  if (typeof value !== 'string' && !isStringArray(value)) {
    throw new TypeError(`${where}: expected a string, an array of strings or { type, value }, got ${String(value)}`);
  }
  const type = input.type ?? (isStringArray(value) ? 'StringList' : 'String');
  if (!TYPES.has(type)) throw new TypeError(`${where}: unknown parameter type ${JSON.stringify(type)}`);
  return { type, value: isStringArray(value) ? value.join(',') : value };
}

function isStringArray(value: unknown): value is readonly string[] {
  return Array.isArray(value);
}
