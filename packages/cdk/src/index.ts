export type { BundleOptions, HandlerBundle, NodeRuntime } from './bundle-handler.js';
export type { ConfigLeaf, ConfigTree, ConfigValue } from './config-tree.js';
export { FunctionAlarms, type FunctionAlarmsOptions, type FunctionAlarmsProps } from './function-alarms.js';
export { type ConfigSecretProps, FunctionConfig, type FunctionConfigProps } from './function-config.js';
export { detectNeeds, type HandlerNeed, NEED_RULES, type NeedRule } from './handler-needs.js';
export { IdempotencyTable, type IdempotencyTableProps, RECORD_ACTIONS } from './idempotency-table.js';
export {
  type BundlingOptions,
  LambdakitFunction,
  type LambdakitFunctionProps,
  type LogLevel,
} from './lambdakit-function.js';
export { type ResolvedBundle, resolveBundle } from './resolve-bundle.js';
export { type LocalRun, type LocalTable, resolveLocalRun } from './resolve-local-run.js';
export { SqsSource, type SqsSourceProps } from './sqs-source.js';
