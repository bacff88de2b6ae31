// Issue 3: per-invocation overhead of lambda() (+ timeout) against a bare async handler and
// plain @middy/core with and without its early-timeout timer, same order logic in each.
import { fileURLToPath } from 'node:url';
import { contexts, orderEvents } from '../lib/events.js';
import { type Contender, cycle } from '../lib/sample.js';
import { runScenario } from '../lib/scenario.js';
import { isolatedChild, warmTables } from '../lib/warm.js';

type Handler = (event: unknown, context: unknown) => unknown;

const variants = [
  { id: 'bare', label: 'bare async handler', file: '../variants/core/bare.js' },
  { id: 'lambda', label: 'lambdakit `lambda()`', file: '../variants/core/lambda.js' },
  { id: 'lambda+timeout', label: 'lambdakit `lambda()` + `timeout()`', file: '../variants/core/lambda-timeout.js' },
  { id: 'middy', label: '`@middy/core` (default early-timeout timer)', file: '../variants/core/middy.js' },
  {
    id: 'middy-no-timer',
    label: '`@middy/core`, `timeoutEarlyInMillis: 0`',
    file: '../variants/core/middy-no-timer.js',
  },
];

async function contenderFor(id: string): Promise<Contender> {
  const v = variants.find((x) => x.id === id)!;
  const { handler } = (await import(v.file)) as { handler: Handler };
  const nextEvent = cycle(orderEvents(64, 'core'));
  const nextContext = cycle(contexts(256));
  return { name: id, run: () => handler(nextEvent(), nextContext()) };
}

if (!(await isolatedChild(contenderFor))) {
  await runScenario(async () => {
    const table = await warmTables({
      self: fileURLToPath(import.meta.url),
      title: 'Warm invocation, order handler',
      variants,
      baseline: 'bare',
      references: ['middy'],
      contenderFor,
      env: {},
    });
    const middy = table.ratio('middy', 'bare').median;
    return {
      id: 'core-overhead',
      title: 'Core: per-invocation overhead of the handler wrapper (issue 3)',
      measures:
        'Warm invocations of the same order handler (JSON.parse + zod + one pino line to /dev/null) wrapped five ways. ' +
        'Figures are min / **median** / max over timed batches of the mean time per invocation. ' +
        'Aims (issue 22): `lambda()` ≤ 1.1× bare, `lambda()` + `timeout()` ≤ 1.2× bare.',
      tables: [table],
      notes: [],
      awaiting: [],
      aims: [
        {
          key: 'core-lambda',
          label: '`lambda()` warm',
          against: 'bare',
          aim: 1.1,
          lambdakit: table.ratio('lambda', 'bare'),
          middy: table.ratio('middy-no-timer', 'bare').median,
        },
        {
          key: 'core-lambda-timeout',
          label: '`lambda()` + `timeout()` warm',
          against: 'bare',
          aim: 1.2,
          lambdakit: table.ratio('lambda+timeout', 'bare'),
          middy,
        },
      ],
    };
  });
}
