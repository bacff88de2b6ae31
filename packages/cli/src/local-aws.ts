import type { LocalSecretInput, StartLocalDynamoOptions, StartLocalSsmOptions } from '@lambdakit/testing';
import { CliError } from './cli-error.js';
import { parseJson } from './parse-json.js';
import { readInputFile } from './read-input-file.js';
import { DEFAULT_PAYLOAD_DIR, seedPayloads } from './seed-payloads.js';
import { loadTesting } from './testing-exports.js';

/** What `--local-aws` starts from: the region, and files that seed the local services. */
export interface StartLocalAwsOptions {
  region: string;
  /** SSM parameters: `{ "/name": "value" | ["a", "b"] | { "type": "SecureString", "value": "…" } }`. */
  paramsFile?: string;
  /** Secrets Manager secrets: `{ "/name": "text" | { …a JSON object… } }`. */
  secretsFile?: string;
  /** DynamoDB tables: `[{ "tableName": "orders", "partitionKey": "id", "sortKey"?, … }]`. */
  tablesFile?: string;
  /** S3 objects: a folder per bucket, a file per object (`lambdakit events --large-body` writes there). */
  payloadsDir?: string;
}

/** Running local services: the environment that points a function at them, and how to stop them. */
export interface LocalAws {
  env: Record<string, string>;
  stop(): Promise<void>;
}

/**
 * Starts dynalite and the local SSM, Secrets Manager and KMS servers (from @lambdakit/testing) on loopback ports, seeded
 * from the given files, and returns the variables that point the AWS SDK v3 at them
 * (`AWS_ENDPOINT_URL_<SERVICE>`) with fake credentials, so nothing reaches a real account.
 */
export async function startLocalAws(options: StartLocalAwsOptions): Promise<LocalAws> {
  const parameters = options.paramsFile === undefined ? undefined : await readParameters(options.paramsFile);
  const tables = options.tablesFile === undefined ? undefined : await readTables(options.tablesFile);
  const secrets = options.secretsFile === undefined ? undefined : await readSecrets(options.secretsFile);
  const testing = await loadTesting();
  // The AWS SDK clients the CLI itself makes (to create tables) would print the SDK's notice
  // about an old local Node among the function's logs; the function's own clients still may.
  const notice = process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED;
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  try {
    const aws = await testing.startLocalAws({
      region: options.region,
      ...(parameters === undefined ? {} : { parameters }),
      ...(tables === undefined ? {} : { tables }),
      ...(secrets === undefined ? {} : { secrets }),
    });
    try {
      const given = options.payloadsDir !== undefined;
      await seedPayloads(aws.s3, options.payloadsDir ?? DEFAULT_PAYLOAD_DIR, given);
    } catch (error) {
      await aws.close();
      throw error;
    }
    return { env: { ...aws.env }, stop: () => aws.close() };
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(
      'CLI_SETUP_FAILED',
      `--local-aws: could not start the local services: ${(error as Error)?.message ?? error}`,
      { cause: error },
    );
  } finally {
    if (notice === undefined) delete process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED;
    else process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = notice;
  }
}

async function readJson(file: string, option: string): Promise<unknown> {
  return parseJson(await readInputFile(file, option), file);
}

async function readParameters(file: string): Promise<NonNullable<StartLocalSsmOptions['parameters']>> {
  const json = await readJson(file, '--params');
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new CliError('CLI_INVALID_INPUT', `--params ${file}: expected an object of parameter names to values`, {
      file,
    });
  }
  for (const [name, value] of Object.entries(json)) {
    const ok =
      typeof value === 'string' ||
      (Array.isArray(value) && value.every((item) => typeof item === 'string')) ||
      (value !== null && typeof value === 'object' && 'value' in value);
    if (!ok) {
      throw new CliError(
        'CLI_INVALID_INPUT',
        `--params ${file}: "${name}": expected a string, an array of strings or { "type", "value" }`,
        { file },
      );
    }
  }
  return json as NonNullable<StartLocalSsmOptions['parameters']>;
}

async function readTables(file: string): Promise<NonNullable<StartLocalDynamoOptions['tables']>> {
  const json = await readJson(file, '--tables');
  if (!Array.isArray(json))
    throw new CliError('CLI_INVALID_INPUT', `--tables ${file}: expected an array of tables`, { file });
  json.forEach((table, index) => {
    if (
      table === null ||
      typeof table !== 'object' ||
      typeof (table as { tableName?: unknown }).tableName !== 'string'
    ) {
      throw new CliError(
        'CLI_INVALID_INPUT',
        `--tables ${file}: table ${index}: expected an object with a "tableName" string`,
        { file },
      );
    }
  });
  return json as NonNullable<StartLocalDynamoOptions['tables']>;
}

async function readSecrets(file: string): Promise<Record<string, LocalSecretInput>> {
  const json = await readJson(file, '--secrets');
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new CliError('CLI_INVALID_INPUT', `--secrets ${file}: expected an object of secret names to values`, {
      file,
    });
  }
  for (const [name, value] of Object.entries(json)) {
    if (typeof value !== 'string' && (value === null || typeof value !== 'object' || Array.isArray(value))) {
      throw new CliError(
        'CLI_INVALID_INPUT',
        `--secrets ${file}: "${name}": expected a string or a JSON object (stored as its JSON)`,
        { file },
      );
    }
  }
  return json as Record<string, LocalSecretInput>;
}
