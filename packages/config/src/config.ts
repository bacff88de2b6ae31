import { defineMiddleware, type InvocationContext, type Middleware, traceStep } from '@lambdakit/core';
import type { z } from 'zod';
import { createConfigLoader } from './config-loader.js';
import type { ConfigSchema, LoadConfigOptions } from './load-config.js';
import { prefetchConfig } from './prefetch-config.js';
import { type ConfigReloader, reloadConfigKey } from './refresh-on-auth-failure.js';

/** Options of the {@link config} middleware: those of `loadConfig`, and `prefetch`. */
export interface ConfigOptions<S extends ConfigSchema> extends LoadConfigOptions<S> {
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
  const loader = createConfigLoader('config', options);
  if (options.prefetch !== false) void prefetchConfig(options);
  return defineMiddleware({
    name: 'config',
    before(request) {
      const ctx = request.context as InvocationContext & { config: z.output<S> };
      // For refreshOnAuthFailure(ctx, fn): the loader, to read the stores again (a symbol key: not in JSON or keys).
      (ctx as { [reloadConfigKey]?: ConfigReloader })[reloadConfigKey] = loader;
      // The loader reads ctx.signal (a timer per invocation, created lazily) only when SSM must be waited for.
      const value = loader.get(ctx);
      if (!(value instanceof Promise)) {
        ctx.config = value;
        return undefined;
      }
      // A load this invocation waits for (the first, or a refresh) is a step of its trace.
      return traceStep(ctx, 'config load', () => value, { 'lambdakit.middleware': 'config' }).then((loaded) => {
        ctx.config = loaded;
        return undefined;
      });
    },
  });
}
