import { resolveSourceOptions, type SourceOptions } from './config-settings.js';
import { configSource, defaultClient } from './config-source.js';

/** Options of {@link prefetchConfig}: the same source options `config()` takes. */
export type PrefetchConfigOptions = SourceOptions;

// Lambda: function names are 1-64 letters, digits, hyphens and underscores.
const FUNCTION_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Starts reading this function's parameter tree now, at module load, so SSM latency overlaps the
 * rest of cold-start init; the first invocation then joins (or finds) the result. The function name
 * and region come from `AWS_LAMBDA_FUNCTION_NAME` and `AWS_REGION`: the tree holds every alias's and
 * version's overrides, so the qualifier (unknown until an invocation) is not needed yet.
 * Resolves `true` when loaded, `false` when skipped or failed (the first invocation retries); never rejects.
 * `config()` calls it for you unless `prefetch: false`.
 */
export function prefetchConfig(options: PrefetchConfigOptions = {}): Promise<boolean> {
  let resolved: ReturnType<typeof resolveSourceOptions>;
  try {
    resolved = resolveSourceOptions(options);
  } catch {
    return Promise.resolve(false);
  }
  if (resolved.kind === 'env') return Promise.resolve(true);
  const functionName = resolved.rawEnv.AWS_LAMBDA_FUNCTION_NAME;
  const region = resolved.rawEnv.AWS_REGION ?? resolved.rawEnv.AWS_DEFAULT_REGION;
  if (functionName === undefined || !FUNCTION_NAME.test(functionName)) return Promise.resolve(false);
  const client = resolved.client ?? (region === undefined || region === '' ? undefined : defaultClient(region));
  if (client === undefined) return Promise.resolve(false);
  return configSource(client, `${resolved.prefix}/${functionName}`, resolved.decrypt).prefetch(resolved.settings);
}
