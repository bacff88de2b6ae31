import type { EncryptedVariable } from './decrypt-env.js';
import type { ResolvedOptions } from './resolve-options.js';

/**
 * The KMS-encrypted variables to decrypt: each `encryptedEnv` entry whose variable is set (one
 * that is not set leaves its key to the other sources, and to the schema to say it is missing).
 */
export function encryptedVariables(resolved: Pick<ResolvedOptions, 'encrypted' | 'rawEnv'>): EncryptedVariable[] {
  const out: EncryptedVariable[] = [];
  for (const { path, variable } of resolved.encrypted) {
    const ciphertext = resolved.rawEnv[variable];
    if (ciphertext !== undefined && ciphertext !== '') out.push({ path, variable, ciphertext });
  }
  return out;
}
