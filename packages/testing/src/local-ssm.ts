import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkOption, checkOptions, isAccountId, isPort, isRecord, isText } from './check-option.js';
import { answer, handleSsmRequest, type SsmEndpointState } from './handle-ssm-request.js';
import type {
  LocalSsm,
  LocalSsmOperation,
  LocalSsmParameter,
  LocalSsmParameterInput,
  LocalSsmRequest,
  StartLocalSsmOptions,
} from './local-ssm-types.js';
import { SsmFaults } from './ssm-faults.js';
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
  const state: SsmEndpointState = { store, faults: new SsmFaults(), log: [] };
  const server = createServer((req, res) => {
    handleSsmRequest(req, res, state).catch(() => {
      if (!res.headersSent) answer(res, 500, { __type: 'InternalServerError', message: 'local SSM failure' });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.unref();
  return new RunningLocalSsm(server, region, state);
}

/** The handle a test holds on a running local SSM endpoint. */
class RunningLocalSsm implements LocalSsm {
  readonly endpoint: string;
  readonly port: number;
  readonly clientConfig: LocalSsm['clientConfig'];

  constructor(
    private readonly server: Server,
    readonly region: string,
    private readonly state: SsmEndpointState,
  ) {
    this.port = (server.address() as AddressInfo).port;
    this.endpoint = `http://127.0.0.1:${this.port}`;
    this.clientConfig = {
      endpoint: this.endpoint,
      region,
      credentials: { accessKeyId: 'AKIDLOCALSSM', secretAccessKey: 'local-ssm-secret' },
    };
  }

  get requests(): readonly LocalSsmRequest[] {
    return this.state.log;
  }

  count(operation?: LocalSsmOperation): number {
    const { log } = this.state;
    return operation === undefined ? log.length : log.filter((r) => r.operation === operation).length;
  }

  resetRequests(): void {
    this.state.log.length = 0;
  }

  throttle(count: number): void {
    this.state.faults.throttle(count);
  }

  fail(count: number, status = 500): void {
    this.state.faults.fail(count, status);
  }

  setLatency(ms: number): void {
    this.state.faults.setLatency(ms);
  }

  pause(): void {
    this.state.faults.pause();
  }

  resume(): void {
    this.state.faults.resume();
  }

  clearFaults(): void {
    this.state.faults.clear();
  }

  put(name: string, input: LocalSsmParameterInput): void {
    this.state.store.seed(name, input, 'LocalSsm.put(name, input)');
  }

  delete(name: string): boolean {
    return this.state.store.parameters.delete(name);
  }

  get(name: string): LocalSsmParameter | undefined {
    const p = this.state.store.parameters.get(name);
    return p === undefined ? undefined : { ...p };
  }

  close(): Promise<void> {
    this.state.faults.resume();
    return new Promise<void>((resolve, reject) => {
      this.server.close((error) => (error ? reject(error) : resolve()));
      this.server.closeAllConnections();
    });
  }
}
