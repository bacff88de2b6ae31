// Issue 21: what `@lambdakit/durable` adds per durable step over AWS's durable-execution SDK alone.
// Each invocation is a whole durable invocation of 10 steps, driven in-process with the SDK's own
// client hook (an in-memory checkpoint store answering at once), so the figures are the code's,
// not a network's: the first invocation (every step runs and checkpoints) and a replay (every
// step's result comes from the checkpoint log).
import { fileURLToPath } from 'node:url';
import { missing } from '../lib/available.js';
import { contexts } from '../lib/events.js';
import { type Contender, cycle } from '../lib/sample.js';
import { runScenario } from '../lib/scenario.js';
import { baseEnv } from '../lib/servers.js';
import { isolatedChild, warmTables } from '../lib/warm.js';

const STEPS = 10;

const variants = [
  { id: 'sdk-first', label: 'AWS SDK alone, `withDurableExecution`: 10 steps run and checkpointed' },
  { id: 'lambdakit-first', label: 'lambdakit `lambda().handle(durable(fn))`: the same 10 steps' },
  {
    id: 'lambdakit-logged-first',
    label: 'lambdakit with `logger()` + `metrics()`: the same, one `ctx.log` line and one metric per step',
  },
  { id: 'sdk-replay', label: 'AWS SDK alone: a replay of the 10 completed steps' },
  { id: 'lambdakit-replay', label: 'lambdakit `durable(fn)`: the same replay' },
  {
    id: 'lambdakit-logged-replay',
    label: 'lambdakit with `logger()` + `metrics()`: the same replay (nothing written)',
  },
];

type Sdk = typeof import('@aws/durable-execution-sdk-js');
type StepContext = { step<T>(name: string, fn: () => Promise<T>): PromiseLike<T> };

/** An in-memory checkpoint store that answers at once, as the SDK's client interface asks. */
function memoryClient(updates?: Array<Record<string, unknown>>) {
  let token = 0;
  return {
    async checkpoint(params: { Updates?: Array<Record<string, unknown>> }) {
      if (updates !== undefined) updates.push(...(params.Updates ?? []));
      return { CheckpointToken: `t${++token}`, NewExecutionState: { Operations: [] } };
    },
    async getExecutionState() {
      return { Operations: [] };
    },
  };
}

const execution = {
  Id: 'execution',
  Type: 'EXECUTION',
  Status: 'STARTED',
  StartTimestamp: new Date(0),
  ExecutionDetails: { InputPayload: '{"orderId":"o-1"}' },
};

/** The workflow every variant runs: 10 steps, each returning a small object. */
async function steps(ctx: StepContext, onStep?: (i: number) => void): Promise<number> {
  let total = 0;
  for (let i = 0; i < STEPS; i++) {
    const { n } = await ctx.step(`step-${i}`, async () => ({ n: i }));
    onStep?.(i);
    total += n;
  }
  return total;
}

type DurableHandler = (event: unknown, context: never) => Promise<unknown>;

async function handlerFor(id: string, sdk: Sdk): Promise<DurableHandler> {
  if (id.startsWith('sdk')) {
    return sdk.withDurableExecution(async (_event, ctx) => steps(ctx as StepContext)) as DurableHandler;
  }
  const { lambda } = await import('@lambdakit/core');
  const { durable } = await import('@lambdakit/durable');
  if (!id.startsWith('lambdakit-logged')) {
    return lambda().handle(durable(async (_event, ctx) => steps(ctx as unknown as StepContext))) as DurableHandler;
  }
  const { logger } = await import('@lambdakit/logger');
  const { metrics } = await import('@lambdakit/metrics');
  return lambda()
    .use(logger())
    .use(metrics({ namespace: 'bench', service: 'orders', coldStartMetric: false }))
    .handle(
      durable(async (_event, ctx) =>
        steps(ctx as unknown as StepContext, (i) => {
          ctx.log.info({ step: i }, 'step done');
          ctx.metrics.add('StepsDone', 'Count', 1);
        }),
      ),
    ) as DurableHandler;
}

/** The operations a first invocation checkpointed, as a later invocation receives them (all completed). */
async function completedOperations(sdk: Sdk): Promise<unknown[]> {
  const updates: Array<Record<string, unknown>> = [];
  const handler = sdk.withDurableExecution(async (_event, ctx) => steps(ctx as StepContext)) as DurableHandler;
  const envelope = new sdk.DurableExecutionInvocationInputWithClient(
    { DurableExecutionArn: 'arn', CheckpointToken: 't0', InitialExecutionState: { Operations: [execution] } } as never,
    memoryClient(updates) as never,
  );
  await handler(envelope, contexts(1)[0] as never);
  return updates
    .filter((update) => update.Action === 'SUCCEED')
    .map((update) => ({
      Id: update.Id,
      Type: update.Type,
      SubType: update.SubType,
      Name: update.Name,
      Status: 'SUCCEEDED',
      StartTimestamp: new Date(0),
      EndTimestamp: new Date(0),
      StepDetails: { Attempt: 1, Result: update.Payload },
    }));
}

async function contenderFor(id: string): Promise<Contender> {
  Object.assign(process.env, baseEnv);
  const sdk = await import('@aws/durable-execution-sdk-js');
  const nextContext = cycle(contexts(256));
  const handler = await handlerFor(id, sdk);
  const operations = id.endsWith('replay') ? [execution, ...(await completedOperations(sdk))] : [execution];
  return {
    name: id,
    run: async () => {
      const envelope = new sdk.DurableExecutionInvocationInputWithClient(
        {
          DurableExecutionArn: 'arn',
          CheckpointToken: 't0',
          InitialExecutionState: { Operations: operations },
        } as never,
        memoryClient() as never,
      );
      const output = (await handler(envelope, nextContext() as never)) as { Status?: string };
      if (output.Status !== 'SUCCEEDED') throw new Error(`${id}: ${JSON.stringify(output)}`);
    },
  };
}

if (!(await isolatedChild(contenderFor))) {
  await runScenario(async () => {
    const absent = await missing(['@lambdakit/durable', '@aws/durable-execution-sdk-js']);
    const base = {
      id: 'durable',
      title: 'Durable functions: cost per step over the bare SDK (issue 21)',
      measures:
        `Per durable invocation of ${STEPS} steps, driven in-process through the SDK's client hook with an in-memory ` +
        'checkpoint store that answers at once (no network): the first invocation, where every step runs and is ' +
        'checkpointed, and a replay, where every step is read back from the log. lambdakit adds, per invocation, the ' +
        'chain and the payload parse; per step, its replay probe and stage tracking. The notes give the "added" ' +
        `column ÷ ${STEPS}: per step, the per-invocation part included. Powertools and Middy have no durable door to compare.`,
      notes: [] as string[],
      awaiting: absent.map((a) => `durable needs ${a}`),
    };
    if (absent.length > 0) return { ...base, tables: [] };
    const tables = [];
    for (const phase of ['first', 'replay'] as const) {
      const chosen = variants.filter((v) => v.id.endsWith(phase));
      const table = await warmTables({
        self: fileURLToPath(import.meta.url),
        title: phase === 'first' ? `First invocation: ${STEPS} steps run` : `Replay: ${STEPS} steps read back`,
        variants: chosen,
        baseline: `sdk-${phase}`,
        references: [],
        contenderFor,
        env: baseEnv,
      });
      const perStep = (id: string) => `${(table.time(id).median - table.time(`sdk-${phase}`).median) / STEPS / 1000}`;
      base.notes.push(
        `${phase === 'first' ? 'First invocation' : 'Replay'}: lambdakit adds ${Number(perStep(`lambdakit-${phase}`)).toFixed(2)} µs ` +
          `per step over the SDK alone (median, its per-invocation part spread over the ${STEPS} steps), ` +
          `${Number(perStep(`lambdakit-logged-${phase}`)).toFixed(2)} µs with a log line and a metric per step.`,
      );
      tables.push(table);
    }
    return { ...base, tables };
  });
}
