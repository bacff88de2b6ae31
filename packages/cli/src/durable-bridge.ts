import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type DurableUpdate, type TimeTravel, travel } from './durable-time-travel.js';
import { readBody } from './runtime-api-http.js';

/**
 * The two calls of Lambda's durable execution API a function makes while it runs: what AWS's
 * local runner hands its in-process handler as a client, so that a function in a sandbox process
 * (whose SDK only speaks HTTP) reaches the same checkpoint store.
 */
export interface DurableStateClient {
  checkpoint(params: CheckpointParams): Promise<unknown>;
  getExecutionState(params: StateParams): Promise<unknown>;
}

interface CheckpointParams {
  DurableExecutionArn: string;
  CheckpointToken: string;
  ClientToken?: string;
  Updates?: DurableUpdate[];
}

interface StateParams {
  DurableExecutionArn: string;
  CheckpointToken: string;
  Marker?: string;
  MaxItems?: number;
}

// Lambda takes up to 6 MB of updates per checkpoint call (a step's result is at most 256 KB); a
// body announced over this is refused unread, one that turns out larger is dropped as it comes.
const BODY_LIMIT = 7 * 1024 * 1024;
const PREFIX = '/2025-12-01/durable-executions/';

/**
 * A local endpoint for `AWS_ENDPOINT_URL_LAMBDA` that speaks Lambda's REST-JSON protocol for
 * `CheckpointDurableExecution` and `GetDurableExecutionState`, and passes each call to the
 * runner's client of that execution. With time travel on, waits and retry delays are shortened
 * on their way (see {@link travel}).
 */
export class DurableBridge {
  private readonly clients = new Map<string, DurableStateClient>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
    readonly timeTravel: TimeTravel,
  ) {}

  static async start(timeTravel: TimeTravel): Promise<DurableBridge> {
    let bridge: DurableBridge | undefined;
    const server = createServer((request, response) => {
      void bridge?.handle(request, response).catch((error: unknown) => {
        answerError(response, 500, 'ServiceException', (error as Error).message);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    bridge = new DurableBridge(server, `http://127.0.0.1:${port}`, timeTravel);
    return bridge;
  }

  /** Routes calls for this execution to the runner's client of it. */
  attach(executionArn: string, client: DurableStateClient): void {
    this.clients.set(executionArn, client);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const match = /^([^/]+)\/(checkpoint|state)$/.exec(
      url.pathname.startsWith(PREFIX) ? url.pathname.slice(PREFIX.length) : '',
    );
    if (match === null) {
      answerError(
        response,
        404,
        'UnknownOperationException',
        `lambdakit's local durable endpoint has no ${request.method} ${url.pathname}: it serves checkpoints and execution state only`,
      );
      return;
    }
    let arn: string;
    try {
      arn = decodeURIComponent(match[1] as string);
    } catch {
      answerError(
        response,
        400,
        'InvalidParameterValueException',
        'the execution ARN in the path is not URL-encoded text',
      );
      return;
    }
    const client = this.clients.get(arn);
    if (client === undefined) {
      answerError(response, 404, 'ResourceNotFoundException', `no durable execution ${arn} in this run`);
      return;
    }
    if (match[2] === 'state' && request.method === 'GET') {
      await this.state(client, arn, url.searchParams, response);
      return;
    }
    if (match[2] === 'checkpoint' && request.method === 'POST') {
      await this.checkpoint(client, arn, request, response);
      return;
    }
    answerError(response, 405, 'UnknownOperationException', `${request.method} is not allowed on ${url.pathname}`);
  }

  private async state(client: DurableStateClient, arn: string, query: URLSearchParams, response: ServerResponse) {
    const token = query.get('CheckpointToken');
    if (token === null) {
      answerError(response, 400, 'InvalidParameterValueException', 'CheckpointToken is required');
      return;
    }
    const maxItems = query.get('MaxItems');
    if (maxItems !== null && !/^\d+$/.test(maxItems)) {
      answerError(response, 400, 'InvalidParameterValueException', 'MaxItems must be a whole number');
      return;
    }
    const params: StateParams = {
      DurableExecutionArn: arn,
      CheckpointToken: token,
      ...(query.get('Marker') === null ? {} : { Marker: query.get('Marker') as string }),
      ...(maxItems === null ? {} : { MaxItems: Number(maxItems) }),
    };
    await forward(response, () => client.getExecutionState(params));
  }

  private async checkpoint(
    client: DurableStateClient,
    arn: string,
    request: IncomingMessage,
    response: ServerResponse,
  ) {
    if (Number(request.headers['content-length'] ?? 0) > BODY_LIMIT) {
      answerError(response, 413, 'RequestTooLargeException', `a checkpoint call carries at most ${BODY_LIMIT} bytes`);
      request.resume();
      return;
    }
    const { body, complete } = await readBody(request, BODY_LIMIT);
    if (!complete) return;
    if (body === undefined) {
      answerError(response, 413, 'RequestTooLargeException', `a checkpoint call carries at most ${BODY_LIMIT} bytes`);
      return;
    }
    let input: Partial<CheckpointParams>;
    try {
      input = JSON.parse(body.toString('utf8')) as Partial<CheckpointParams>;
    } catch (error) {
      answerError(
        response,
        400,
        'InvalidParameterValueException',
        `the checkpoint body is not JSON: ${(error as Error).message}`,
      );
      return;
    }
    if (typeof input !== 'object' || input === null || typeof input.CheckpointToken !== 'string') {
      answerError(response, 400, 'InvalidParameterValueException', 'CheckpointToken is required');
      return;
    }
    const updates = input.Updates ?? [];
    if (!Array.isArray(updates) || updates.some((update) => typeof update !== 'object' || update === null)) {
      answerError(response, 400, 'InvalidParameterValueException', 'Updates must be a list of operation updates');
      return;
    }
    const params: CheckpointParams = {
      DurableExecutionArn: arn,
      CheckpointToken: input.CheckpointToken,
      ...(input.ClientToken === undefined ? {} : { ClientToken: input.ClientToken }),
      Updates: travel(updates, this.timeTravel),
    };
    await forward(response, () => client.checkpoint(params));
  }
}

/** Answers with the runner's answer, its dates as epoch seconds (REST-JSON's timestamps), or its error. */
async function forward(response: ServerResponse, call: () => Promise<unknown>): Promise<void> {
  let answer: unknown;
  try {
    answer = await call();
  } catch (error) {
    const { name, message } = error as Error;
    const type = typeof name === 'string' && name !== 'Error' ? name : 'InvalidParameterValueException';
    answerError(response, 400, type, message);
    return;
  }
  const text = JSON.stringify(answer ?? {}, function epochSeconds(this: Record<string, unknown>, key, value) {
    const raw = this[key];
    return raw instanceof Date ? raw.getTime() / 1000 : value;
  });
  response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

/** An error as Lambda's REST-JSON protocol sends it: the type in a header, the message in the body. */
function answerError(response: ServerResponse, status: number, type: string, message: string): void {
  if (response.headersSent) return;
  const text = JSON.stringify({ Type: 'User', message });
  response.writeHead(status, {
    'content-type': 'application/json',
    'x-amzn-errortype': type,
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}
