// Issue 12: per-invocation cost of async-context storage against passing `ctx` explicitly.
// Each mode runs in its own process: on Node 20 an AsyncLocalStorage in use turns on promise
// hooks for the whole process, so it would tax the explicit mode too if they shared one.
import { AsyncLocalStorage } from 'node:async_hooks';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { fmtNs } from '../lib/report.js';
import { compare } from '../lib/sample.js';
import { runScenario } from '../lib/scenario.js';
import { SMOKE } from '../lib/settings.js';
import { type Figure, summarize } from '../lib/stats.js';

interface Ctx {
  awsRequestId: string;
  functionName: string;
}

const self = fileURLToPath(import.meta.url);
let sink = 0;

// The workload: a three-step pipeline (like middlewares then business logic), each step
// awaiting once and reading the request id twice (as a logger binding would).
async function explicitStep(ctx: Ctx, depth: number): Promise<number> {
  await null;
  const n = ctx.awsRequestId.length + ctx.functionName.length;
  return depth === 0 ? n : n + (await explicitStep(ctx, depth - 1));
}

type Getter = () => Ctx;
async function storedStep(get: Getter, depth: number): Promise<number> {
  await null;
  const n = get().awsRequestId.length + get().functionName.length;
  return depth === 0 ? n : n + (await storedStep(get, depth - 1));
}

const ctxs: Ctx[] = Array.from({ length: 256 }, (_, i) => ({
  awsRequestId: `req-${i}-0000-0000`,
  functionName: 'orders',
}));
let i = 0;
const nextCtx = () => {
  i = (i + 1) & 255;
  return ctxs[i]!;
};

async function modeRunner(mode: string): Promise<(() => Promise<unknown>) | undefined> {
  if (mode === 'explicit') return () => explicitStep(nextCtx(), 2).then((n) => (sink += n));
  if (mode === 'explicit-with-als-active') {
    const als = new AsyncLocalStorage<Ctx>();
    als.enterWith(ctxs[0]!); // an ALS in use elsewhere in the process (e.g. by a library)
    return () => explicitStep(nextCtx(), 2).then((n) => (sink += n));
  }
  if (mode === 'als') {
    const als = new AsyncLocalStorage<Ctx>();
    const get = () => als.getStore()!;
    return () => als.run(nextCtx(), () => storedStep(get, 2)).then((n) => (sink += n));
  }
  if (mode === 'invoke-store') {
    let mod: { InvokeStore: { getInstanceAsync(multi?: boolean): Promise<any> } };
    try {
      mod = (await import('@aws/lambda-invoke-store' as string)) as typeof mod;
    } catch {
      return undefined;
    }
    const store = await mod.InvokeStore.getInstanceAsync(true);
    const get = () => store.getContext() as Ctx;
    return () => store.run({ ...nextCtx() }, () => storedStep(get, 2)).then((n: number) => (sink += n));
  }
  throw new Error(`unknown mode ${mode}`);
}

const modes = [
  { mode: 'explicit', label: '`ctx` passed explicitly' },
  { mode: 'als', label: '`AsyncLocalStorage.run()` + `getStore()`' },
  { mode: 'explicit-with-als-active', label: '`ctx` passed explicitly, an AsyncLocalStorage active in the process' },
  { mode: 'invoke-store', label: '`@aws/lambda-invoke-store` (multi-concurrency mode, `run()` + `getContext()`)' },
];

if (process.argv[2] === '--mode') {
  const run = await modeRunner(process.argv[3]!);
  if (run === undefined) process.send!({ unavailable: true }, () => process.exit(0));
  else {
    const samples = await compare([{ name: 'x', run }]);
    process.send!({ samples: samples.get('x'), sink }, () => process.exit(0));
  }
} else {
  await runScenario(async () => {
    const processes = SMOKE ? 1 : 3;
    const results = new Map<string, number[]>();
    const unavailable = new Set<string>();
    // Processes alternate between modes so machine-load drift is shared.
    for (let p = 0; p < processes; p++) {
      for (const { mode } of modes) {
        if (unavailable.has(mode)) continue;
        const msg = await new Promise<{ samples?: number[]; unavailable?: boolean }>((resolve, reject) => {
          const child = fork(self, ['--mode', mode], {
            execArgv: ['--import', 'tsx', '--expose-gc'],
            stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
          });
          child.on('message', (m) => resolve(m as { samples?: number[] }));
          child.on('exit', (code) => {
            if (code !== 0) reject(new Error(`async-context ${mode}: exit ${code}`));
          });
        });
        if (msg.unavailable) unavailable.add(mode);
        else results.set(mode, [...(results.get(mode) ?? []), ...(msg.samples ?? [])]);
      }
    }
    const explicit = summarize(results.get('explicit')!);
    const rows = modes
      .filter((m) => results.has(m.mode))
      .map((m) => {
        const f: Figure = summarize(results.get(m.mode)!);
        return [
          m.label,
          fmtNs(f),
          m.mode === 'explicit' ? '—' : `${Math.round(f.median - explicit.median)} ns`,
          `${(f.median / explicit.median).toFixed(2)}×`,
        ];
      });
    return {
      id: 'async-context',
      title: 'Async-context storage vs explicit `ctx` (issue 12)',
      measures:
        'A three-step async pipeline (each step awaits once and reads the request id and function name twice, as ' +
        `middlewares and a logger would), one invocation per call. Each mode runs in its own process (${processes} ` +
        'process(es) per mode, alternating), since on Node 20 an active AsyncLocalStorage enables promise hooks for the ' +
        'whole process. Figures pool the rounds of all processes of a mode.',
      tables: [
        {
          title: 'Per invocation',
          columns: ['mode', 'time per invocation', 'added vs explicit (median)', 'ratio (medians)'],
          rows,
        },
      ],
      notes: [
        `Node ${process.version}. From Node 24 AsyncLocalStorage is built on AsyncContextFrame (no promise hooks), ` +
          'so these costs differ there: re-run under Node 24 before drawing conclusions for that runtime.',
        ...(unavailable.size > 0 ? [`Not measured (package not resolvable): ${[...unavailable].join(', ')}.`] : []),
        '`@aws/lambda-invoke-store` is not a declared dependency of bench: it is measured when installed transitively.',
      ],
      awaiting: [],
    };
  });
}
