import { secretName, secretValue, ssmParameters } from '../variants/order.js';
import type { Server } from './variants.js';

/** Tables the idempotent variants write to, one per library so key formats never meet. */
export const tables = { lambdakit: 'bench-idempotency-lambdakit', powertools: 'bench-idempotency-powertools' };

/** Running local servers and the environment that points the AWS SDK at them. */
export interface Servers {
  env: Record<string, string>;
  /** Requests the local SSM server has answered, if it counts them. */
  ssmRequests(): number | undefined;
  /** Requests the local Secrets Manager server has answered. */
  secretsRequests(): number | undefined;
  close(): Promise<void>;
}

type Closable = Record<string, unknown>;

function endpointOf(server: Closable): string {
  const value = server.endpoint ?? server.url;
  if (typeof value !== 'string') throw new TypeError('local server: no endpoint/url string on the returned object');
  return value;
}

async function closeServer(server: Closable): Promise<void> {
  const close = server.close ?? server.stop;
  if (typeof close === 'function') await (close as () => Promise<void>).call(server);
}

/**
 * Environment every variant runs with: fake credentials, a region, the function name, and
 * the SDK's standard per-service endpoint variables (AWS_ENDPOINT_URL_SSM / _DYNAMODB), so the
 * variants create their clients exactly as production code would.
 */
export const baseEnv: Record<string, string> = {
  AWS_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'AKIDBENCH',
  AWS_SECRET_ACCESS_KEY: 'bench-secret',
  AWS_LAMBDA_FUNCTION_NAME: 'orders',
  AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '128',
  BENCH_TABLE_LAMBDAKIT: tables.lambdakit,
  BENCH_TABLE_POWERTOOLS: tables.powertools,
  // Powertools' logger and metrics read these; lambdakit's read their own defaults.
  POWERTOOLS_SERVICE_NAME: 'orders',
  POWERTOOLS_METRICS_NAMESPACE: 'bench',
};

/** Starts the local servers `needs` lists (via @lambdakit/testing) and sets `process.env` to reach them. */
export async function startServers(needs: ReadonlySet<Server>): Promise<Servers> {
  const env = { ...baseEnv };
  const running: Closable[] = [];
  let ssm: Closable | undefined;
  let secrets: Closable | undefined;
  if (needs.size > 0) {
    const testing = (await import('@lambdakit/testing')) as unknown as Record<
      string,
      (o?: unknown) => Promise<Closable>
    >;
    if (needs.has('ssm')) {
      ssm = await testing.startLocalSsm!({
        region: baseEnv.AWS_REGION,
        parameters: Object.fromEntries(ssmParameters.map((p) => [p.name, p.value])),
      });
      running.push(ssm);
      env.AWS_ENDPOINT_URL_SSM = endpointOf(ssm);
    }
    if (needs.has('secrets')) {
      secrets = await testing.startLocalSecretsManager!({
        region: baseEnv.AWS_REGION,
        secrets: { [secretName]: secretValue },
      });
      running.push(secrets);
      env.AWS_ENDPOINT_URL_SECRETS_MANAGER = endpointOf(secrets);
    }
    if (needs.has('dynamo')) {
      const dynamo = await testing.startLocalDynamo!({ region: baseEnv.AWS_REGION });
      running.push(dynamo);
      env.AWS_ENDPOINT_URL_DYNAMODB = endpointOf(dynamo);
      // Both libraries default to the same table shape: `id` (S) partition key, `expiration` TTL.
      const create = dynamo.createIdempotencyTable as (name: string) => Promise<void>;
      await create.call(dynamo, tables.lambdakit);
      await create.call(dynamo, tables.powertools);
    }
  }
  Object.assign(process.env, env);
  return {
    env,
    ssmRequests() {
      return typeof ssm?.count === 'function' ? (ssm.count as () => number).call(ssm) : undefined;
    },
    secretsRequests() {
      return typeof secrets?.count === 'function' ? (secrets.count as () => number).call(secrets) : undefined;
    },
    async close() {
      for (const server of running.reverse()) await closeServer(server);
    },
  };
}
