/**
 * What a handler needs from its infrastructure, read from what its bundle holds: a lambdakit door
 * whose code is in the bundle is a declaration that the function uses it. Nothing is run.
 */
export type HandlerNeed =
  | 'idempotencyTable'
  | 'stateTable'
  | 'configParameters'
  | 'configParametersByName'
  | 'configSecrets'
  | 'tracing'
  | 'batchResponses'
  | 'durableConfig';

/** One need and the module that declares it: `dist/<file>.js` (or `src/<file>.ts`) of a lambdakit package. */
export interface NeedRule {
  need: HandlerNeed;
  /** The package's folder name: `idempotency` for `@lambdakit/idempotency`. */
  pkg: string;
  /** The module's file name without extension. */
  file: string;
  /** The door a user calls, for messages. */
  door: string;
}

/** The rules, one per door that needs infrastructure (a test checks each module exists). */
export const NEED_RULES: readonly NeedRule[] = [
  { need: 'idempotencyTable', pkg: 'idempotency', file: 'dynamo-db-store', door: 'dynamoDbStore()' },
  { need: 'stateTable', pkg: 'resilience', file: 'dynamo-db-state-store', door: 'dynamoDbStateStore()' },
  { need: 'configParameters', pkg: 'config', file: 'ssm-source', door: 'ssm()' },
  { need: 'configParametersByName', pkg: 'config', file: 'ssm-extension', door: 'ssmExtension()' },
  { need: 'configSecrets', pkg: 'config', file: 'secrets', door: 'secrets()' },
  { need: 'tracing', pkg: 'tracer', file: 'create-tracer', door: 'tracer() or createTracer()' },
  { need: 'batchResponses', pkg: 'batch', file: 'batch', door: 'batch()' },
  { need: 'durableConfig', pkg: 'durable', file: 'durable', door: 'durable()' },
];

/** The modules of a rule, as a path ending: `@lambdakit/<pkg>/dist/<file>.js` installed, `packages/<pkg>/…` in this repository. */
function matcher(rule: NeedRule): RegExp {
  return new RegExp(`(?:^|/)(?:@lambdakit|packages)/${rule.pkg}/(?:dist/${rule.file}\\.js|src/${rule.file}\\.ts)$`);
}

const MATCHERS = NEED_RULES.map((rule) => ({ rule, pattern: matcher(rule) }));

/** The needs declared by a bundle's modules (paths as esbuild's metafile gives them), each with its rule. */
export function detectNeeds(modules: readonly string[]): Map<HandlerNeed, NeedRule> {
  const needs = new Map<HandlerNeed, NeedRule>();
  for (const path of modules) {
    const normalised = path.replaceAll('\\', '/');
    for (const { rule, pattern } of MATCHERS) {
      if (pattern.test(normalised)) needs.set(rule.need, rule);
    }
  }
  return needs;
}
