/**
 * The values this sandbox knows to be secret (a password read from Secrets Manager, a decrypted
 * variable), so a log line never carries one, wherever the value ended up in it: a message, a
 * field, an error's text. `@lambdakit/config` registers them as it reads them and
 * `@lambdakit/logger` scrubs its lines with them; no list is kept by the user.
 *
 * Kept on `globalThis` under a registered symbol, so two copies of `@lambdakit/core` in one bundle
 * (two versions, say) still share one list.
 */

/** Values shorter than this are not scrubbed from lines: a secret `"on"` would blank every "on". */
export const MIN_SECRET_LENGTH = 6;
/** The most values kept: the newest win (a long-lived sandbox sees each rotation add one). */
export const MAX_SECRET_VALUES = 256;
/** What a secret value becomes in a line, and in a config printed or serialised. */
export const SECRET_PLACEHOLDER = '[secret]';

interface SecretRegistry {
  readonly values: Set<string>;
  /** Bumped on every change, so a compiled pattern knows when it is stale. */
  version: number;
  pattern: RegExp | undefined;
  patternVersion: number;
}

const KEY = Symbol.for('lambdakit.secretValues');

function registry(): SecretRegistry {
  const global = globalThis as { [KEY]?: SecretRegistry };
  let found = global[KEY];
  if (found === undefined) {
    found = { values: new Set(), version: 0, pattern: undefined, patternVersion: -1 };
    Object.defineProperty(global, KEY, { value: found, enumerable: false });
  }
  return found;
}

/**
 * Marks `value` as secret for the rest of the sandbox's life: from now on lambdakit's logger
 * writes {@link SECRET_PLACEHOLDER} where a line would have held it. Strings shorter than
 * {@link MIN_SECRET_LENGTH} are ignored. Its JSON-escaped form is covered too (a value with a quote
 * or a backslash appears escaped inside a JSON line).
 */
export function registerSecretValue(value: string): void {
  if (typeof value !== 'string' || value.length < MIN_SECRET_LENGTH) return;
  const state = registry();
  const escaped = JSON.stringify(value).slice(1, -1);
  let changed = false;
  for (const form of escaped === value ? [value] : [value, escaped]) {
    if (state.values.has(form)) continue;
    state.values.add(form);
    changed = true;
    if (state.values.size > MAX_SECRET_VALUES) state.values.delete(state.values.values().next().value as string);
  }
  if (changed) state.version++;
}

/** Whether any secret value is registered: a logger with nothing to scrub pays this check only. */
export function hasSecretValues(): boolean {
  return registry().values.size > 0;
}

/** `text` with every registered secret value replaced by {@link SECRET_PLACEHOLDER}. */
export function redactSecretValues(text: string): string {
  const state = registry();
  if (state.values.size === 0) return text;
  if (state.pattern === undefined || state.patternVersion !== state.version) {
    // Longest first, so a value that contains another is replaced whole.
    const alternatives = [...state.values]
      .sort((a, b) => b.length - a.length)
      .map((value) => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    state.pattern = new RegExp(alternatives.join('|'), 'g');
    state.patternVersion = state.version;
  }
  return text.replace(state.pattern, SECRET_PLACEHOLDER);
}

/** Forgets every registered value (tests). */
export function clearSecretValues(): void {
  const state = registry();
  state.values.clear();
  state.version++;
}
