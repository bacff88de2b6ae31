// Issue 8: placeholder until the scenario is written against the package's public API.
import { missing } from '../lib/available.js';
import { runScenario } from '../lib/scenario.js';

await runScenario(async () => {
  const absent = await missing([' 10-record SQS batch through processBatch:@lambdakit/batch']);
  return {
    id: 'batch',
    title: 'Batch (issue 8)',
    measures: 'Not written yet: see issue 8, "Benchmark".',
    tables: [],
    notes: [],
    awaiting: [
      absent.length > 0
        ? `batch needs ${absent.join(', ')}`
        : 'batch scenario (package exists; scenario not written yet)',
    ],
  };
});
