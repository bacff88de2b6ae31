export type { ConfigOptions } from './config.js';
export { config } from './config.js';
export type {
  ConfigErrorCode,
  ConfigErrorDetails,
  ConfigIssue,
  ConfigStoreName,
  ConfigValueSource,
} from './config-error.js';
export { ConfigError } from './config-error.js';
export type { ConfigStore } from './config-store.js';
export { type EncryptedEnvOptions, encryptedEnv } from './encrypted-env.js';
export type { ConfigSourceKind } from './env-overrides.js';
export { CONFIG_ENV_PREFIX, CONFIG_SOURCE_ENV } from './env-overrides.js';
export type { ConfigInvocation, ConfigSchema, LoadConfigOptions } from './load-config.js';
export { loadConfig } from './load-config.js';
export type { PrefetchConfigOptions } from './prefetch-config.js';
export { prefetchConfig } from './prefetch-config.js';
export {
  isAuthFailure,
  type RefreshOnAuthFailureOptions,
  refreshOnAuthFailure,
} from './refresh-on-auth-failure.js';
export { type SecretsOptions, secrets } from './secrets.js';
export { type SsmExtensionOptions, ssmExtension } from './ssm-extension.js';
export { type SsmOptions, ssm } from './ssm-source.js';
