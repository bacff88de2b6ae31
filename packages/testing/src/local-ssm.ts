import type { Server } from 'node:http';
import { checkOption, checkOptions, isAccountId, isPort, isRecord, isText } from './check-option.js';
import { JsonEndpoint, type JsonOperations } from './json-endpoint.js';
import type {
  LocalSsm,
  LocalSsmOperation,
  LocalSsmParameter,
  LocalSsmParameterInput,
  StartLocalSsmOptions,
} from './local-ssm-types.js';
import { ssmOperations } from './ssm-operations.js';
import { SsmParameterStore } from './ssm-parameter-store.js';

/**
 * Starts an HTTP server on 127.0.0.1 that speaks SSM Parameter Store's JSON 1.1 protocol
 * (`POST /`, `X-Amz-Target: AmazonSSM.<Operation>`), so the real `@aws-sdk/client-ssm` can talk
 * to it: pagination, SecureString, errors in the real shape, fault injection and request counts.
 */
export function startLocalSsm(options: StartLocalSsmOptions = {}): Promise<LocalSsm> {
  return startLocalSsmFor('startLocalSsm', options);
}

/** @internal {@link startLocalSsm}, its mistakes named after `door`: `startLocalAws()` starts one too. */
export async function startLocalSsmFor(door: string, options: StartLocalSsmOptions): Promise<LocalSsm> {
  checkOptions(door, options);
  checkOption(door, 'parameters', options.parameters, isRecord);
  checkOption(door, 'port', options.port, isPort);
  checkOption(door, 'region', options.region, isText);
  checkOption(door, 'accountId', options.accountId, isAccountId);
  const region = options.region ?? 'us-east-1';
  const store = new SsmParameterStore(region, options.accountId ?? '123456789012');
  for (const [name, input] of Object.entries(options.parameters ?? {})) {
    store.seed(name, input, `${door}({ parameters })`);
  }
  const operations = Object.fromEntries(
    Object.entries(ssmOperations).map(([name, run]) => [name, (input: Record<string, unknown>) => run(store, input)]),
  ) as unknown as JsonOperations<LocalSsmOperation>;
  const server = await JsonEndpoint.listen(options.port);
  return new RunningLocalSsm(server, region, store, operations);
}

/** The handle a test holds on a running local SSM endpoint. */
class RunningLocalSsm extends JsonEndpoint<LocalSsmOperation> implements LocalSsm {
  constructor(
    server: Server,
    region: string,
    private readonly store: SsmParameterStore,
    operations: JsonOperations<LocalSsmOperation>,
  ) {
    super(server, region, {
      owner: 'LocalSsm',
      targetPrefix: 'AmazonSSM.',
      internalErrorType: 'InternalServerError',
      operations,
    });
  }

  put(name: string, input: LocalSsmParameterInput): void {
    this.store.seed(name, input, 'LocalSsm.put(name, input)');
  }

  delete(name: string): boolean {
    return this.store.parameters.delete(name);
  }

  get(name: string): LocalSsmParameter | undefined {
    const p = this.store.parameters.get(name);
    return p === undefined ? undefined : { ...p };
  }
}
