// Issue 5: lines per second and per-invocation overhead, lambdakit logger vs raw pino vs
// Powertools logger, all writing JSON lines to the same null sink (stdout, /dev/null).
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { missing } from '../lib/available.js';
import { apigwV2Event, contexts, orderBody } from '../lib/events.js';
import { fmtInt, type Table } from '../lib/report.js';
import { type Contender, cycle } from '../lib/sample.js';
import { runScenario } from '../lib/scenario.js';
import { baseEnv } from '../lib/servers.js';
import { isolatedChild, warmTables } from '../lib/warm.js';

const self = fileURLToPath(import.meta.url);

const loggers = [
  { id: 'pino', label: 'raw pino, defaults but a synchronous destination (child `{ requestId }`)' },
  {
    id: 'pino-same',
    label: 'raw pino configured for the same line (level label, ISO time, `message`, same invocation fields)',
  },
  { id: 'lambdakit', label: 'lambdakit `createLogger()` + `invocationLogger()`' },
  { id: 'powertools', label: 'Powertools `Logger` + `addContext()`' },
];

/** Logs one line the way the order handler does; each library's own call shape. */
type LogLine = (i: number) => void;

interface Bound {
  /** Binds the logger to one invocation and returns how to log a line in it. */
  bind: (event: Record<string, unknown>, context: Record<string, unknown>) => LogLine;
}

async function loggerFor(id: string): Promise<Bound> {
  Object.assign(process.env, baseEnv);
  if (id === 'pino') {
    const { pino } = await import('pino');
    // Synchronous, like every other logger here (see variants/core/logic.ts for why).
    const root = pino(pino.destination({ dest: 1, sync: true }));
    return {
      bind: (_event, context) => {
        const log = root.child({ requestId: context.awsRequestId });
        return (i) => log.info({ orderId: `o-${i}`, statusCode: 200 }, 'order handled');
      },
    };
  }
  if (id === 'pino-same') {
    const { pino } = await import('pino');
    const root = pino(
      {
        base: { service: 'orders' },
        messageKey: 'message',
        timestamp: pino.stdTimeFunctions.isoTime,
        formatters: { level: (label) => ({ level: label.toUpperCase() }) },
      },
      pino.destination({ dest: 1, sync: true }),
    );
    return {
      bind: (event, context) => {
        const log = root.child({
          requestId: context.awsRequestId,
          functionName: context.functionName,
          functionVersion: context.functionVersion,
          functionArn: context.invokedFunctionArn,
          coldStart: false,
          correlationId: (event.requestContext as { requestId: string }).requestId,
        });
        return (i) => log.info({ orderId: `o-${i}`, statusCode: 200 }, 'order handled');
      },
    };
  }
  if (id === 'lambdakit') {
    const { createLogger, invocationLogger } = await import('@lambdakit/logger');
    const root = createLogger({ persistentKeys: { service: 'orders' } });
    return {
      bind: (event, context) => {
        const log = invocationLogger(root, event, context);
        return (i) => log.info({ orderId: `o-${i}`, statusCode: 200 }, 'order handled');
      },
    };
  }
  const { Logger } = await import('@aws-lambda-powertools/logger');
  const logger = new Logger({ serviceName: 'orders' });
  return {
    bind: (event, context) => {
      logger.addContext(context as never);
      logger.setCorrelationId((event.requestContext as { requestId: string }).requestId);
      return (i) => logger.info('order handled', { orderId: `o-${i}`, statusCode: 200 });
    },
  };
}

const events = () => Array.from({ length: 64 }, (_, i) => apigwV2Event(orderBody(`log-${i}`)));

/** `line:<id>`: one line on an already bound logger. `inv:<id>`: bind to a new invocation, then one line. */
async function contenderFor(key: string): Promise<Contender> {
  const [kind, id] = key.split(':') as [string, string];
  const { bind } = await loggerFor(id);
  const nextEvent = cycle(events());
  const nextContext = cycle(contexts(256) as unknown as Record<string, unknown>[]);
  let i = 0;
  const nextOrder = () => {
    i = (i + 1) & 1023;
    return i;
  };
  if (kind === 'line') {
    const line = bind(nextEvent(), nextContext());
    return { name: key, run: () => line(nextOrder()) };
  }
  return { name: key, run: () => bind(nextEvent(), nextContext())(nextOrder()) };
}

/** Run as `--sample <id>` with stdout piped: writes one bound line, so the parent can show its size. */
async function sampleChild(): Promise<boolean> {
  if (process.argv[2] !== '--sample') return false;
  const { bind } = await loggerFor(process.argv[3]!);
  bind(apigwV2Event(orderBody('log-0')), contexts(1)[0] as unknown as Record<string, unknown>)(7);
  return true;
}

function sampleLine(id: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = fork(self, ['--sample', id], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      env: { ...process.env, ...baseEnv },
    });
    let out = '';
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
    });
    child.on('exit', (code) =>
      code === 0 ? resolve(out.trim()) : reject(new Error(`logger sample ${id}: exit ${code}`)),
    );
  });
}

if (await sampleChild()) {
  process.exit(0);
} else if (!(await isolatedChild(contenderFor))) {
  await runScenario(async () => {
    const absent = await missing(['@lambdakit/logger']);
    const base = {
      id: 'logger',
      title: 'Logger: lines per second and per-invocation overhead (issue 5)',
      measures:
        'Every logger writes its JSON lines synchronously to stdout, which the bench points at /dev/null for all of ' +
        'them (the same null sink). "One line": `info` with two fields and a message on a logger already bound to an ' +
        'invocation. "Per invocation": bind the logger to a new invocation (Lambda context + API Gateway event), then ' +
        'write that one line, as the order handler does. Aim (issue 5): lambdakit within 10% of raw pino, ahead of Powertools.',
      notes: [] as string[],
      awaiting: absent.map((a) => `logger needs ${a}`),
    };
    if (absent.length > 0) return { ...base, tables: [] };
    const tables: Table[] = [];
    for (const [kind, title] of [
      ['line', 'One line on a bound logger'],
      ['inv', 'Per invocation: bind to the invocation + one line'],
    ] as const) {
      const table = await warmTables({
        self,
        title,
        variants: loggers.map((l) => ({ id: `${kind}:${l.id}`, label: l.label })),
        baseline: `${kind}:pino`,
        references: [`${kind}:pino-same`, `${kind}:powertools`],
        contenderFor,
        env: baseEnv,
      });
      if (kind === 'line') {
        // Lines per second follow from the median time per line (own process).
        table.columns[1] = 'time per line (own process)';
        table.columns.splice(2, 0, 'lines per second (median)');
        for (const row of table.rows) {
          const median = /\*\*([\d.]+)\*\* \/ [\d.]+ (ns|µs)/.exec(row[1]!);
          const ns = median === null ? Number.NaN : Number(median[1]) * (median[2] === 'µs' ? 1000 : 1);
          row.splice(2, 0, fmtInt(1e9 / ns));
        }
      }
      tables.push(table);
    }
    const samples: string[][] = [];
    for (const l of loggers) {
      const line = await sampleLine(l.id);
      samples.push([l.label, String(Buffer.byteLength(line) + 1), `\`${line.replaceAll('|', '\\|')}\``]);
    }
    tables.push({
      title: 'The line each logger writes (not timed)',
      columns: ['logger', 'bytes', 'line'],
      rows: samples,
      note: 'Lines differ in content (raw pino writes a numeric level, epoch time, pid and hostname), so lines per second compare libraries, not bytes.',
    });
    return { ...base, tables };
  });
}
