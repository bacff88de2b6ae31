// Issue 5: placeholder until the scenario is written against the package's public API.
import { missing } from '../lib/available.js';
import { runScenario } from '../lib/scenario.js';

await runScenario(async () => {
  const absent = await missing([' lines per second and per-invocation overhead:@lambdakit/logger']);
  return {
    id: 'logger',
    title: 'Logger (issue 5)',
    measures: 'Not written yet: see issue 5, "Benchmark".',
    tables: [],
    notes: [],
    awaiting: [
      absent.length > 0
        ? `logger needs ${absent.join(', ')}`
        : 'logger scenario (package exists; scenario not written yet)',
    ],
  };
});
