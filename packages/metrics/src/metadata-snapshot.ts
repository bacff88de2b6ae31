import { EMF_ROOT_KEY } from './emf-limits.js';
import { MetricsError } from './metrics-error.js';

/** @internal Throws `METRICS_METADATA_INVALID` unless `key` can name a metadata field. */
export function checkMetadataKey(key: unknown): asserts key is string {
  if (typeof key !== 'string' || key.length === 0 || key === EMF_ROOT_KEY) {
    throw new MetricsError('METRICS_METADATA_INVALID', `Invalid metadata key ${JSON.stringify(key) ?? String(key)}`, {
      value: key,
    });
  }
}

/**
 * @internal The metadata value as it will be written: a JSON copy, so later changes to the
 * caller's object do not change what is written. Throws `METRICS_METADATA_INVALID` for a value
 * JSON cannot hold (a cycle, a BigInt, a function).
 */
export function metadataSnapshot(key: string, value: unknown): unknown {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch (error) {
    throw new MetricsError(
      'METRICS_METADATA_INVALID',
      `Metadata "${key}" cannot be written as JSON: ${(error as Error).message}`,
      { key, value, cause: error },
    );
  }
  if (json === undefined) {
    throw new MetricsError(
      'METRICS_METADATA_INVALID',
      `Metadata "${key}" cannot be written as JSON (got ${typeof value})`,
      { key, value },
    );
  }
  return JSON.parse(json);
}
