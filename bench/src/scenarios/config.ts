// Issue 6: placeholder until the scenario is written against the package's public API.
import { missing } from '../lib/available.js';
import { runScenario } from '../lib/scenario.js';

await runScenario(async () => {
  const absent = await missing([' cold load against local SSM and warm lookup:@lambdakit/config']);
  return {
    id: 'config',
    title: 'Config (issue 6)',
    measures: 'Not written yet: see issue 6, "Benchmark".',
    tables: [],
    notes: [],
    awaiting: [
      absent.length > 0
        ? `config needs ${absent.join(', ')}`
        : 'config scenario (package exists; scenario not written yet)',
    ],
  };
});
