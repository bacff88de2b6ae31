import { ConfigError } from './config-error.js';
import type { ConfigSource } from './config-source.js';
import { type ConfigStore, configStore, isConfigStore, type StoreTarget } from './config-store.js';
import { fetchParametersViaExtension } from './fetch-parameters-via-extension.js';
import { type ExtensionAddress, extensionAddress, extensionKey } from './fetch-via-extension.js';
import { schemaLeafPaths } from './schema-leaf-paths.js';
import { sourceFor } from './source-for.js';

/** Options of {@link ssmExtension}. */
export interface SsmExtensionOptions {
  /** Read SecureString parameters decrypted (default: the `decrypt` option, else `true`). */
  decrypt?: boolean | undefined;
  /**
   * The store read instead when the extension is not there (no layer, no port variable) or the schema
   * does not name every parameter, usually `ssm()`. Without it, both are errors.
   */
  fallback?: ConfigStore | undefined;
}

/**
 * SSM Parameter Store through Lambda's Parameters and Secrets extension, as a store of
 * `config({ sources })`: its local cache of `GetParameter` on `localhost`. The extension serves one
 * parameter by name and nothing by path, so the names come from the schema (each key path under
 * `{prefix}/{functionName}` and under `{prefix}/{functionName}/{qualifier}`), which must name them all.
 * The same config as `ssm()` reads by path; a function that does not use it carries none of its code.
 */
export function ssmExtension(options: SsmExtensionOptions = {}): ConfigStore {
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`ssmExtension(options): expected an object of options, got ${String(options)}`);
  }
  const { decrypt, fallback } = options;
  if (decrypt !== undefined && typeof decrypt !== 'boolean') {
    throw new TypeError(`ssmExtension({ decrypt }): expected a boolean, got ${String(decrypt)}`);
  }
  if (fallback !== undefined && !isConfigStore(fallback)) {
    throw new TypeError(`ssmExtension({ fallback }): expected a store such as ssm(), got ${String(fallback)}`);
  }
  return configStore({
    store: 'ssm',
    keyPaths: fallback?.keyPaths ?? [],
    plain: (env) => fallback?.plain(env) ?? [],
    namesFrom(schema, door) {
      const names = schemaLeafPaths(schema);
      if (names === undefined && fallback === undefined) {
        throw new TypeError(
          `${door}({ sources }): ssmExtension() reads each parameter by name, so the schema must name them all: z.objects all the way down, no records, loose or catchall objects (or give it a fallback: ssm())`,
        );
      }
      return names;
    },
    source(target) {
      const extension = extensionAddress(target.env, fallback === undefined);
      if (extension !== undefined && target.leafPaths !== undefined) {
        return extensionSource(extension, target, target.leafPaths, decrypt ?? target.ssmDefaults.decrypt);
      }
      if (fallback !== undefined) return fallback.source(target);
      // Prefetching without a schema has no names to ask for: the first invocation reads.
      if (target.leafPaths === undefined) return undefined;
      throw new ConfigError(
        'CONFIG_LOAD_FAILED',
        'ssmExtension(): the Parameters and Secrets extension needs AWS_SESSION_TOKEN (Lambda sets it) and a valid PARAMETERS_SECRETS_EXTENSION_HTTP_PORT',
        { path: target.path },
      );
    },
  });
}

/** The parameters of one function and qualifier read through the extension, refreshed like the SDK's. */
function extensionSource(
  extension: ExtensionAddress,
  { path, qualifier }: StoreTarget,
  leafPaths: readonly (readonly string[])[],
  decrypt: boolean,
): ConfigSource {
  return sourceFor(extensionKey(extension), `ssm-extension:${decrypt}:${path}:${qualifier ?? ''}`, () => ({
    path,
    describe: `SSM path ${path} through the Parameters and Secrets extension`,
    store: 'ssm',
    refreshes: true,
    fetch: (signal) => fetchParametersViaExtension(extension, path, qualifier, leafPaths, decrypt, signal),
  }));
}
