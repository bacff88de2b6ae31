// node bench/profile/parse-json.mjs: JSON.parse vs @lambdakit/parser's guarded parseJson (built dist) on the bench's SQS bodies.
import { parseJson } from '../../packages/parser/dist/decode.js';
import { defaultLimits } from '../../packages/parser/dist/limits.js';

const { events } = await import('./data.mjs');
const bodies = events.flatMap((e) => e.Records.map((r) => r.body));
const fns = {
  'JSON.parse': (t) => JSON.parse(t),
  'parseJson (guards + JSON.parse)': (t) => parseJson(t, defaultLimits),
  "includes('__proto__') + includes('\\\\u')": (t) => t.includes('__proto__') || t.includes('\\u'),
};
let sink = 0;
for (const [n, f] of Object.entries(fns)) {
  for (let i = 0; i < 200000; i++) sink += f(bodies[i % bodies.length]) ? 1 : 0;
  const res = [];
  for (let r = 0; r < 5; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < 200000; i++) sink += f(bodies[i % bodies.length]) ? 1 : 0;
    res.push(Number(process.hrtime.bigint() - t0) / 200000);
  }
  res.sort((a, b) => a - b);
  console.log(`${res[2].toFixed(0).padStart(6)} ns  ${n}  (body ${bodies[0].length} chars)`);
}
process.stderr.write(`(checksum ${sink})\n`);
