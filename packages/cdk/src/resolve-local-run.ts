import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Stack } from 'aws-cdk-lib';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import type { LambdakitFunction } from './lambdakit-function.js';
import { type ResolvedBundle, resolveBundle } from './resolve-bundle.js';

/** A DynamoDB table as `lambdakit invoke --tables` creates it. */
export interface LocalTable {
  tableName: string;
  partitionKey: string;
  sortKey?: string;
  timeToLiveAttribute?: string;
}

/** A function as the template deploys it, for `lambdakit invoke --local-aws` (see {@link resolveLocalRun}). */
export interface LocalRun extends ResolvedBundle {
  /** The function's name: the config tree's path holds it. */
  functionName: string;
  /** The function's variables; a table's `Ref` becomes the local table's name, its logical id, and the region and account those of the local run. */
  environment: Record<string, string>;
  /** Variables whose value is only known at deploy (a queue's URL, an ARN): left out of `environment`; give them with your own `--env-file`. */
  unresolved: string[];
  /** The stack's SSM parameters under the function's config path, as `--params` takes them. */
  parameters: Record<string, string | string[]>;
  /** The tables the function's variables name, with their keys and TTL, as `--tables` takes them. */
  tables: LocalTable[];
  /** The names of the function's secrets: their values are made at deploy, so a run gives its own. */
  secrets: string[];
  /**
   * Writes the `--params`, `--tables`, `--secrets` and `--env-file` files into `dir` and returns the
   * arguments of `lambdakit invoke` (add `--event`). `secretValues` maps a secret's name to its JSON.
   */
  invokeArgs(dir: string, secretValues?: Record<string, unknown>): string[];
}

type Resources = Record<string, { Type?: string; Properties?: Record<string, unknown> }>;
type KeySchema = { AttributeName: string; KeyType: 'HASH' | 'RANGE' }[];

/**
 * Everything the template says the function runs with, read back from a synthesised assembly: its
 * bundle, name, variables, config parameters, tables and secrets. A test that invokes the function
 * with these runs what `cdk deploy` would deploy, settings included.
 */
export function resolveLocalRun(assembly: CloudAssembly, fn: LambdakitFunction): LocalRun {
  const bundle = resolveBundle(assembly, fn);
  const stack = Stack.of(fn);
  const resources = ((assembly.getStackArtifact(stack.artifactId).template as { Resources?: Resources }).Resources ??
    {}) as Resources;
  const own = resources[stack.getLogicalId(fn.node.defaultChild as CfnFunction)]?.Properties ?? {};
  const variables = ((own.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ??
    {}) as Record<string, unknown>;
  const { environment, tables, unresolved } = environmentOf(variables, resources);
  const { parameters, secrets } = configOf(fn.config?.path, resources);
  const functionName = fn.physicalFunctionName;
  return {
    ...bundle,
    functionName,
    environment,
    unresolved,
    parameters,
    tables: uniqueTables(tables),
    secrets,
    invokeArgs: (dir, secretValues = {}) => {
      const file = (name: string, text: string) => {
        writeFileSync(join(dir, name), text);
        return join(dir, name);
      };
      const env = Object.entries(environment).map(([key, value]) => `${key}=${dotenvValue(key, value)}`);
      return [
        'invoke',
        `${bundle.file}#${bundle.handler}`,
        '--function-name',
        functionName,
        ...settingsArgs(own),
        '--env-file',
        file(`${functionName}.env`, `${env.join('\n')}\n`),
        '--local-aws',
        '--params',
        file(`${functionName}.params.json`, JSON.stringify(parameters)),
        '--tables',
        file(`${functionName}.tables.json`, JSON.stringify(uniqueTables(tables))),
        '--secrets',
        file(`${functionName}.secrets.json`, JSON.stringify(secretValues)),
      ];
    },
  };
}

/** The function's variables, a table's `Ref` replaced by its logical id, and those tables. */
function environmentOf(variables: Record<string, unknown>, resources: Resources) {
  const environment: Record<string, string> = {};
  const tables: LocalTable[] = [];
  const unresolved: string[] = [];
  for (const [name, value] of Object.entries(variables)) {
    const ref = (value as { Ref?: unknown } | null)?.Ref;
    const table = typeof ref === 'string' ? resources[ref] : undefined;
    if (typeof value === 'string') environment[name] = value;
    else if (typeof ref === 'string' && ref in LOCAL_PSEUDO) environment[name] = LOCAL_PSEUDO[ref]!;
    else if (typeof ref === 'string' && table?.Type === 'AWS::DynamoDB::Table') {
      environment[name] = ref;
      tables.push(localTable(ref, table.Properties ?? {}));
    } else unresolved.push(name);
  }
  return { environment, tables, unresolved };
}

/** The pseudo parameters as `lambdakit invoke` has them by default (its `--region`, `--account-id`). */
const LOCAL_PSEUDO: Record<string, string> = {
  'AWS::Region': 'us-east-1',
  'AWS::AccountId': '123456789012',
  'AWS::Partition': 'aws',
  'AWS::URLSuffix': 'amazonaws.com',
};

/**
 * A value as a dotenv file holds it for Node's `parseEnv` (which `--env-file` uses): in single
 * quotes, where nothing is unescaped, else in backticks; a value holding both, or a line break, is refused.
 */
export function dotenvValue(name: string, value: string): string {
  if (!/[\r\n]/.test(value)) {
    if (!value.includes("'")) return `'${value}'`;
    if (!value.includes('`')) return `\`${value}\``;
  }
  throw new TypeError(
    `resolveLocalRun(): variable ${name} holds a line break, or both ' and \`, which an env file cannot carry`,
  );
}

/** The stack's parameters and secrets under the function's config path. */
function configOf(path: string | undefined, resources: Resources) {
  const parameters: Record<string, string | string[]> = {};
  const secrets: string[] = [];
  for (const resource of Object.values(resources)) {
    const name = resource.Properties?.Name;
    if (path === undefined || typeof name !== 'string' || !(name === path || name.startsWith(`${path}/`))) continue;
    const value = String(resource.Properties?.Value ?? '');
    if (resource.Type === 'AWS::SSM::Parameter') {
      parameters[name] = resource.Properties?.Type === 'StringList' ? value.split(',') : value;
    }
    if (resource.Type === 'AWS::SecretsManager::Secret') secrets.push(name);
  }
  return { parameters, secrets };
}

/** The function's runtime, timeout, memory and log format, as `lambdakit invoke` takes them. */
function settingsArgs(properties: Record<string, unknown>): string[] {
  const args: string[] = [];
  if (typeof properties.Runtime === 'string') args.push('--runtime', properties.Runtime);
  if (typeof properties.Timeout === 'number') args.push('--timeout', String(properties.Timeout));
  if (typeof properties.MemorySize === 'number') args.push('--memory', String(properties.MemorySize));
  const format = (properties.LoggingConfig as { LogFormat?: unknown } | undefined)?.LogFormat;
  if (format === 'JSON') args.push('--log-format', 'json');
  return args;
}

function localTable(tableName: string, properties: Record<string, unknown>): LocalTable {
  const keys = (properties.KeySchema ?? []) as KeySchema;
  const partitionKey = keys.find((key) => key.KeyType === 'HASH')?.AttributeName ?? '';
  const sortKey = keys.find((key) => key.KeyType === 'RANGE')?.AttributeName;
  const ttl = properties.TimeToLiveSpecification as { AttributeName?: string; Enabled?: boolean } | undefined;
  return {
    tableName,
    partitionKey,
    ...(sortKey !== undefined && { sortKey }),
    ...(ttl?.Enabled && ttl.AttributeName !== undefined && { timeToLiveAttribute: ttl.AttributeName }),
  };
}

function uniqueTables(tables: LocalTable[]): LocalTable[] {
  return [...new Map(tables.map((table) => [table.tableName, table])).values()];
}
