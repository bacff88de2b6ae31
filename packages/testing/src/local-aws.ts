import { checkOption, checkOptions, isList, isRecord, isText } from './check-option.js';
import { checkTables, type LocalDynamo, type LocalDynamoTableSpec, startLocalDynamo } from './local-dynamo.js';
import { type LocalEventBridge, startLocalEventBridgeFor } from './local-eventbridge.js';
import { type LocalKms, startLocalKmsFor } from './local-kms.js';
import { type LocalS3, startLocalS3For } from './local-s3.js';
import { type LocalSecretInput, type LocalSecretsManager, startLocalSecretsManagerFor } from './local-secrets.js';
import { type LocalSns, startLocalSnsFor } from './local-sns.js';
import { type LocalSqs, startLocalSqsFor } from './local-sqs.js';
import { startLocalSsmFor } from './local-ssm.js';
import type { LocalSsm, LocalSsmParameterInput } from './local-ssm-types.js';

/** Options of {@link startLocalAws}. */
export interface StartLocalAwsOptions {
  /** SSM parameters present from the start, by full name (`/lambdakit/orders/currency`). */
  parameters?: Readonly<Record<string, LocalSsmParameterInput>> | undefined;
  /** Secrets Manager secrets present from the start, by name (`/lambdakit/orders`); objects are stored as JSON. */
  secrets?: Readonly<Record<string, LocalSecretInput>> | undefined;
  /** DynamoDB tables created before `startLocalAws` resolves. */
  tables?: readonly LocalDynamoTableSpec[] | undefined;
  /** SQS standard queues created before `startLocalAws` resolves. */
  queues?: readonly string[] | undefined;
  /** SNS standard topics created before `startLocalAws` resolves. */
  topics?: readonly string[] | undefined;
  /** S3 buckets created before `startLocalAws` resolves. */
  buckets?: readonly string[] | undefined;
  /** The region the SDK clients are given (default `us-east-1`). */
  region?: string | undefined;
}

/**
 * The local SSM, Secrets Manager, KMS, SQS, SNS, EventBridge, S3 and DynamoDB servers, and the environment that points AWS
 * SDK v3 clients at them: what {@link startLocalAws} returns.
 */
export interface LocalAws {
  readonly ssm: LocalSsm;
  readonly secrets: LocalSecretsManager;
  readonly kms: LocalKms;
  readonly sqs: LocalSqs;
  readonly sns: LocalSns;
  readonly eventBridge: LocalEventBridge;
  readonly s3: LocalS3;
  readonly dynamo: LocalDynamo;
  /**
   * `AWS_REGION`, `AWS_DEFAULT_REGION`, `AWS_ENDPOINT_URL_SSM`, `AWS_ENDPOINT_URL_SECRETS_MANAGER`,
   * `AWS_ENDPOINT_URL_KMS`, `AWS_ENDPOINT_URL_SQS`, `AWS_ENDPOINT_URL_SNS`, `AWS_ENDPOINT_URL_EVENTBRIDGE`,
   * `AWS_ENDPOINT_URL_S3`, `AWS_ENDPOINT_URL_DYNAMODB`, `AWS_ACCESS_KEY_ID` and
   * `AWS_SECRET_ACCESS_KEY`: for a child process's environment.
   */
  readonly env: Readonly<Record<string, string>>;
  /**
   * Sets {@link LocalAws.env} on this process's `process.env` and removes `AWS_PROFILE` and
   * `AWS_SESSION_TOKEN` (either would send the SDK to a real account), so clients created with no
   * options, even at module scope before this call, talk to the local servers. `close()` puts the
   * previous values back.
   */
  useInThisProcess(): void;
  /** Stops every server and restores `process.env` if {@link LocalAws.useInThisProcess} changed it. */
  close(): Promise<void>;
}

// Variables that would send a client created with no options to a real account.
const REAL_ACCOUNT_VARIABLES = ['AWS_PROFILE', 'AWS_SESSION_TOKEN'] as const;

/**
 * Starts the local SSM, Secrets Manager, KMS, SQS, SNS, EventBridge and S3 servers and dynalite on 127.0.0.1 (random ports),
 * seeded with `parameters`, `secrets`, `queues`, `topics`, `buckets` and `tables`, with the region and fake credentials the AWS
 * SDK needs to talk to them.
 */
export async function startLocalAws(options: StartLocalAwsOptions = {}): Promise<LocalAws> {
  checkOptions('startLocalAws', options);
  checkOption('startLocalAws', 'region', options.region, isText);
  checkOption('startLocalAws', 'secrets', options.secrets, isRecord);
  checkTables('startLocalAws', options.tables);
  checkOption('startLocalAws', 'queues', options.queues, isList);
  checkOption('startLocalAws', 'topics', options.topics, isList);
  checkOption('startLocalAws', 'buckets', options.buckets, isList);
  const region = options.region ?? 'us-east-1';
  const { ssm, secrets, kms, sqs, sns, eventBridge, s3, dynamo, started } = await startServers(region, options);
  const env: Record<string, string> = {
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_ENDPOINT_URL_SSM: ssm.endpoint,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.endpoint,
    AWS_ENDPOINT_URL_KMS: kms.endpoint,
    AWS_ENDPOINT_URL_SQS: sqs.endpoint,
    AWS_ENDPOINT_URL_SNS: sns.endpoint,
    AWS_ENDPOINT_URL_EVENTBRIDGE: eventBridge.endpoint,
    AWS_ENDPOINT_URL_S3: s3.endpoint,
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    AWS_ACCESS_KEY_ID: dynamo.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: dynamo.credentials.secretAccessKey,
  };
  let saved: Map<string, string | undefined> | undefined;
  const restore = () => {
    if (saved === undefined) return;
    for (const [key, value] of saved) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    saved = undefined;
  };
  return {
    ssm,
    secrets,
    kms,
    sqs,
    sns,
    eventBridge,
    s3,
    dynamo,
    env,
    useInThisProcess() {
      saved ??= new Map([...Object.keys(env), ...REAL_ACCOUNT_VARIABLES].map((key) => [key, process.env[key]]));
      for (const key of REAL_ACCOUNT_VARIABLES) delete process.env[key];
      Object.assign(process.env, env);
    },
    async close() {
      restore();
      await Promise.allSettled(started.map((server) => server.close()));
    },
  };
}

/** Starts the eight servers; if one fails to start, those already started are closed. */
async function startServers(region: string, options: StartLocalAwsOptions) {
  const started: { close(): Promise<void> }[] = [];
  const start = async <T extends { close(): Promise<void> }>(run: () => Promise<T>): Promise<T> => {
    const server = await run();
    started.push(server);
    return server;
  };
  try {
    const ssm = await start(() => startLocalSsmFor('startLocalAws', { region, parameters: options.parameters }));
    const secrets = await start(() =>
      startLocalSecretsManagerFor('startLocalAws', { region, secrets: options.secrets }),
    );
    const kms = await start(() => startLocalKmsFor('startLocalAws', { region }));
    const sqs = await start(() => startLocalSqsFor('startLocalAws', { region, queues: options.queues }));
    const sns = await start(() => startLocalSnsFor('startLocalAws', { region, topics: options.topics }));
    const eventBridge = await start(() => startLocalEventBridgeFor('startLocalAws', { region }));
    const s3 = await start(() => startLocalS3For('startLocalAws', { region, buckets: options.buckets }));
    const dynamo = await start(() => startLocalDynamo({ region, tables: options.tables }));
    return { ssm, secrets, kms, sqs, sns, eventBridge, s3, dynamo, started };
  } catch (error) {
    await Promise.allSettled(started.map((server) => server.close()));
    throw error;
  }
}
