import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LocalSsmOperation, LocalSsmRequest } from './local-ssm-types.js';
import { SsmError } from './ssm-error.js';
import type { SsmFaults } from './ssm-faults.js';
import { ssmOperations } from './ssm-operations.js';
import type { SsmParameterStore } from './ssm-parameter-store.js';

const MAX_BODY_BYTES = 1024 * 1024;

/** What one local SSM endpoint answers from. */
export interface SsmEndpointState {
  readonly store: SsmParameterStore;
  readonly faults: SsmFaults;
  readonly log: LocalSsmRequest[];
}

/** Writes an answer in SSM's JSON 1.1 shape. */
export function answer(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': randomUUID(),
  });
  res.end(text);
}

/**
 * Answers one request as SSM's JSON 1.1 protocol does (`POST /`, `X-Amz-Target: AmazonSSM.<Operation>`):
 * logged first, faults injected next, then the operation, its errors in SSM's shape.
 */
export async function handleSsmRequest(
  req: IncomingMessage,
  res: ServerResponse,
  state: SsmEndpointState,
): Promise<void> {
  const target = String(req.headers['x-amz-target'] ?? '');
  const operation = target.startsWith('AmazonSSM.') ? target.slice('AmazonSSM.'.length) : target;
  const entry: LocalSsmRequest = { operation, body: undefined, status: 0 };
  state.log.push(entry);
  // The latency in force when the request arrived applies, so a test can change it mid-flight.
  const delayMs = state.faults.latencyMs;
  const respond = (status: number, body: unknown) => {
    entry.status = status;
    answer(res, status, body);
  };
  let raw: string;
  try {
    raw = await readBody(req);
  } catch {
    respond(413, { __type: 'SerializationException', message: 'Request body too large' });
    return;
  }
  // Parsed before faults are injected, so the request log shows what a faulted request asked for.
  const input = parseBody(raw);
  if (input !== NOT_JSON) entry.body = input;
  const fault = await state.faults.apply(delayMs);
  if (fault !== undefined) return respond(fault.status, fault.body);
  if (req.method !== 'POST' || !Object.hasOwn(ssmOperations, operation)) {
    return respond(400, { __type: 'UnknownOperationException', message: `Unknown operation ${target}` });
  }
  const [status, body] = runOperation(state.store, operation as LocalSsmOperation, input);
  respond(status, body);
}

const NOT_JSON = Symbol('not JSON');

function parseBody(raw: string): unknown {
  try {
    return raw === '' ? {} : JSON.parse(raw);
  } catch {
    return NOT_JSON;
  }
}

function runOperation(store: SsmParameterStore, operation: LocalSsmOperation, input: unknown): [number, unknown] {
  if (input === NOT_JSON) {
    return [400, { __type: 'SerializationException', message: 'Start of structure or map found where not expected.' }];
  }
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    return [400, { __type: 'SerializationException', message: 'Expected a JSON object' }];
  }
  try {
    return [200, ssmOperations[operation](store, input as Record<string, unknown>)];
  } catch (error) {
    if (error instanceof SsmError) return [error.status, { __type: error.type, message: error.message }];
    return [500, { __type: 'InternalServerError', message: String(error) }];
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.destroy();
        reject(new Error('body too large'));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
