import { DurableError } from './durable-error.js';

interface WireOperationShape {
  readonly Type?: unknown;
  readonly ExecutionDetails?: { readonly InputPayload?: unknown } | null;
}

/**
 * The payload a durable execution was started with, from the `EXECUTION` operation Lambda sends
 * in every invocation of it (`InitialExecutionState.Operations`): what the middlewares and the
 * business logic see as the event. A missing payload is `{}`, as the SDK reads it.
 */
export function parseDurablePayload(event: unknown): unknown {
  const input = event as {
    DurableExecutionArn?: unknown;
    CheckpointToken?: unknown;
    InitialExecutionState?: { Operations?: unknown } | null;
  } | null;
  if (input === null || typeof input !== 'object' || typeof input.DurableExecutionArn !== 'string') {
    throw notDurable('DurableExecutionArn', 'has no DurableExecutionArn');
  }
  if (typeof input.CheckpointToken !== 'string') throw notDurable('CheckpointToken', 'has no CheckpointToken');
  const operations = input.InitialExecutionState?.Operations;
  if (!Array.isArray(operations)) {
    throw notDurable('InitialExecutionState.Operations', 'has no InitialExecutionState.Operations list');
  }
  const index = operations.findIndex((op) => (op as WireOperationShape | null)?.Type === 'EXECUTION');
  if (index < 0) throw notDurable('InitialExecutionState.Operations', 'has no EXECUTION operation');
  const path = `InitialExecutionState.Operations[${index}].ExecutionDetails.InputPayload`;
  const payload = (operations[index] as WireOperationShape).ExecutionDetails?.InputPayload;
  if (payload === undefined || payload === null) return {};
  if (typeof payload !== 'string') {
    throw new DurableError('DURABLE_PAYLOAD_INVALID', `durable(): ${path} is not a string`, path);
  }
  try {
    return JSON.parse(payload) as unknown;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new DurableError('DURABLE_PAYLOAD_INVALID', `durable(): ${path} is not JSON: ${reason}`, path);
  }
}

function notDurable(path: string, what: string): DurableError {
  return new DurableError(
    'DURABLE_NOT_A_DURABLE_EVENT',
    `durable(): the event ${what}: it is not a durable execution's. Is the function deployed with a DurableConfig, and invoked through a qualified ARN?`,
    path,
  );
}
