import type { InvocationContext, Middleware } from '@lambdakit/core';
import type { z } from 'zod';
import type { ConfigSchema } from './config-loader.js';
import { type ConfigLoaderOptions, createConfigLoader } from './config-loader.js';
import { prefetchConfig } from './prefetch-config.js';

/** Options of the {@link config} middleware. */
export interface ConfigOptions<S extends ConfigSchema> extends ConfigLoaderOptions<S> {
  /** Start reading SSM when `config()` is called, at module load (default `true`; see `prefetchConfig`). */
  prefetch?: boolean | undefined;
}

/**
 * Middleware: puts the configuration for `ctx.invokedFunctionArn` at `ctx.config`, typed from the
 * schema. A warm invocation reads it from memory; the first one waits for the load within `ctx.signal`.
 */
export function config<S extends ConfigSchema>(
  options: ConfigOptions<S>,
): Middleware<unknown, unknown, { config: z.output<S> }> {
  const loader = createConfigLoader(options);
  if (options.prefetch !== false) void prefetchConfig(options);
  return {
    name: 'config',
    before(request) {
      const ctx = request.context as InvocationContext & { config: z.output<S> };
      // ctx.signal is created lazily (a timer per invocation): read it only when SSM must be waited for.
      const value = loader.get(ctx.invokedFunctionArn, () => ctx.signal);
      if (!(value instanceof Promise)) {
        ctx.config = value;
        return undefined;
      }
      return value.then((loaded) => {
        ctx.config = loaded;
        return undefined;
      });
    },
  };
}
