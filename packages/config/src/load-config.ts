import type { z } from 'zod';
import { createConfigLoader } from './config-loader.js';
import type { PrefetchConfigOptions } from './prefetch-config.js';

/**
 * A configuration schema: a zod schema of an object (a `z.object`, refined or transformed, or a
 * union of objects): its top-level keys are the configuration's keys, read from SSM.
 */
export type ConfigSchema = z.ZodType<unknown, Record<string, unknown>>;

/**
 * What {@link loadConfig} reads of the invocation: lambdakit's `ctx` and Lambda's own context both
 * fit, and outside a handler `{ invokedFunctionArn: arn }` is enough.
 */
export interface ConfigInvocation {
  /** Its function name and qualifier pick the parameters (not read with `LAMBDAKIT_CONFIG_SOURCE=env`). */
  readonly invokedFunctionArn: string;
  /**
   * Stops waiting for the first load (lambdakit's `ctx.signal` aborts before the deadline); aborts the
   * SDK request when nobody else waits. Read only when SSM must be waited for.
   */
  readonly signal?: AbortSignal | undefined;
}

/** Options of {@link loadConfig}. */
export interface LoadConfigOptions<S extends ConfigSchema> extends PrefetchConfigOptions {
  /** The zod schema of the config; its top-level keys must be listable (a `z.object`, possibly refined or transformed). */
  schema: S;
  /** Age after which a warm invocation triggers a background refresh (default 300; `Infinity`: never). */
  maxAgeSeconds?: number | undefined;
}

/**
 * Loads the typed configuration for the invoked function ARN from SSM Parameter Store:
 * `{prefix}/{functionName}/…` overlaid with `{prefix}/{functionName}/{qualifier}/…` and
 * `LAMBDAKIT_CONFIG__…` environment variables, validated by `schema`, memoized per ARN and
 * refreshed in the background after `maxAgeSeconds`. Throws {@link ConfigError}.
 */
export async function loadConfig<S extends ConfigSchema>(
  ctx: ConfigInvocation,
  options: LoadConfigOptions<S>,
): Promise<z.output<S>> {
  return createConfigLoader('loadConfig', options).get(ctx);
}
