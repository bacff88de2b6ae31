// The rules SSM checks a request against, and the errors it answers when one is broken.
import { ServiceError } from './service-error.js';

/** The parameter types SSM knows. */
export const TYPES: ReadonlySet<string> = new Set(['String', 'StringList', 'SecureString']);
// SSM: names use letters, digits and `_ . - /`; hierarchies have at most 15 levels.
const NAME = /^[A-Za-z0-9_.\-/]+$/;
/** Deepest hierarchy SSM allows. */
export const MAX_DEPTH = 15;
const MAX_NAME_LENGTH = 2048;
// Standard-tier parameters hold at most 4 KB.
const MAX_VALUE_LENGTH = 4096;

/** A `ValidationException` with SSM's message. */
export function validation(message: string): ServiceError {
  return new ServiceError('ValidationException', message);
}

/** Refuses a name SSM would refuse: characters, hierarchy, depth, reserved prefixes. */
export function validateName(name: string): void {
  const segments = name.split('/');
  const hierarchical = name.includes('/');
  const bare = hierarchical ? segments[1] : name;
  if (
    name.length === 0 ||
    name.length > MAX_NAME_LENGTH ||
    !NAME.test(name) ||
    (hierarchical && (!name.startsWith('/') || name.endsWith('/') || name.includes('//'))) ||
    segments.length - 1 > MAX_DEPTH
  ) {
    throw validation(
      `Parameter name ${JSON.stringify(name)} is not valid: use letters, digits and _ . - /, at most 15 levels`,
    );
  }
  // SSM reserves names that begin with "aws" or "ssm", case-insensitively.
  if (bare !== undefined && /^(aws|ssm)/i.test(bare)) {
    throw validation('Parameter name: can\'t be prefixed with "aws" or "ssm" (case-insensitive).');
  }
}

/** Refuses an empty value or one over the standard tier's 4096 characters. */
export function validateValue(value: string): void {
  if (value.length === 0)
    throw validation(
      "1 validation error detected: Value '' at 'value' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
  if (value.length > MAX_VALUE_LENGTH)
    throw validation('Standard tier parameters support a maximum parameter value of 4096 characters.');
}

/** A required string field of a request, or the validation error SSM answers. */
export function requireString(input: Record<string, unknown>, field: string): string {
  const value = input[field];
  if (typeof value !== 'string') {
    throw validation(
      `1 validation error detected: Value at '${field.charAt(0).toLowerCase()}${field.slice(1)}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return value;
}

/** An optional boolean field of a request, or the serialization error SSM answers. */
export function optionalBoolean(input: Record<string, unknown>, field: string): boolean | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw new ServiceError('SerializationException', `Expected a boolean for ${field}`);
  return value;
}
