import type { z } from 'zod';
import type { ConfigSchema } from './config-loader.js';
import { type ConfigLoaderOptions, createConfigLoader } from './config-loader.js';

/** Options of {@link loadConfig}. */
export interface LoadConfigOptions<S extends ConfigSchema> extends ConfigLoaderOptions<S> {
  /** The invoked function ARN (`context.invokedFunctionArn`): its function name and qualifier pick the parameters. */
  arn: string;
  /** Stops waiting for the first load (e.g. `ctx.signal`, which aborts before the deadline); aborts the SDK request when nobody else waits. */
  signal?: AbortSignal | undefined;
}

/**
 * Loads the typed configuration for an invoked function ARN from SSM Parameter Store:
 * `{prefix}/{functionName}/…` overlaid with `{prefix}/{functionName}/{qualifier}/…` and
 * `LAMBDAKIT_CONFIG__…` environment variables, validated by `schema`, memoized per ARN and
 * refreshed in the background after `maxAgeSeconds`. Throws {@link ConfigError}.
 */
export async function loadConfig<S extends ConfigSchema>(options: LoadConfigOptions<S>): Promise<z.output<S>> {
  const { signal } = options;
  return createConfigLoader(options).get(options.arn, () => signal);
}
