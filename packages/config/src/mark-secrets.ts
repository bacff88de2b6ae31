import { registerSecretValue, SECRET_PLACEHOLDER } from '@lambdakit/core';
import type { ConfigEntry } from './config-tree.js';

const inspect = Symbol.for('nodejs.util.inspect.custom');
const secretKeys = Symbol('lambdakit.secretKeys');

type Container = Record<string | symbol, unknown> & { [secretKeys]?: Set<string> };

/** The object as it may be shown: its secret keys' values replaced (`JSON.stringify`, `util.inspect`, `console.log`). */
function shown(this: Container): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...this };
  for (const key of this[secretKeys] ?? []) if (Object.hasOwn(copy, key)) copy[key] = SECRET_PLACEHOLDER;
  return copy;
}

/**
 * Makes the secrets of a resolved config unprintable before it is frozen: every value that came
 * from Secrets Manager or a KMS-encrypted variable is registered with core (the logger then
 * scrubs it from any line), and each object holding one prints it as `[secret]` when serialised
 * or inspected, through non-enumerable `toJSON` and `util.inspect.custom`; reading the value
 * (`config.db.password`) gives it as it is. Keys a schema transform moved or renamed keep their
 * value registered, so the logger still scrubs it.
 */
export function markSecrets(config: unknown, origins: ReadonlyMap<string, ConfigEntry>): void {
  for (const entry of origins.values()) {
    if (entry.secret !== true) continue;
    register(entry.value);
    let container: unknown = config;
    for (const key of entry.path.slice(0, -1)) {
      container = container !== null && typeof container === 'object' ? (container as Container)[key] : undefined;
    }
    const leaf = entry.path[entry.path.length - 1];
    if (container === null || typeof container !== 'object' || leaf === undefined || !Object.hasOwn(container, leaf)) {
      continue;
    }
    const holder = container as Container;
    register(holder[leaf]);
    // An object the schema shares (a frozen default, say) cannot be marked: its values are still registered.
    if (!Object.isExtensible(holder)) continue;
    if (holder[secretKeys] === undefined) {
      Object.defineProperty(holder, secretKeys, { value: new Set<string>() });
      Object.defineProperty(holder, 'toJSON', { value: shown });
      Object.defineProperty(holder, inspect, { value: shown });
    }
    holder[secretKeys]?.add(leaf);
  }
}

function register(value: unknown): void {
  if (typeof value === 'string') registerSecretValue(value);
  else if (Array.isArray(value)) for (const item of value) register(item);
}
