// node bench/profile/top.mjs <file.cpuprofile> [n]: the top functions by self and by inclusive time.

import { readFileSync } from 'node:fs';

const prof = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const n = Number(process.argv[3] ?? 25);
const byId = new Map(prof.nodes.map((x) => [x.id, x]));
const counts = new Map();
for (const s of prof.samples) counts.set(s, (counts.get(s) ?? 0) + 1);
const total = prof.samples.length;
const key = (x) =>
  `${x.callFrame.functionName || '(anon)'} ${x.callFrame.url.replace(/.*node_modules\//, '').replace(/.*\/packages\//, 'pkg:')}:${x.callFrame.lineNumber + 1}`;
const self = new Map();
for (const [id, c] of counts) {
  const k = key(byId.get(id));
  self.set(k, (self.get(k) ?? 0) + c);
}
// inclusive: each sample counts once per distinct key on its stack
const parent = new Map();
for (const x of prof.nodes) for (const c of x.children ?? []) parent.set(c, x.id);
const incl = new Map();
for (const [id, c] of counts) {
  const seen = new Set();
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const k = key(byId.get(cur));
    if (!seen.has(k)) {
      seen.add(k);
      incl.set(k, (incl.get(k) ?? 0) + c);
    }
  }
}
const pct = (c) => ((100 * c) / total).toFixed(1).padStart(5);
console.log(`samples ${total}\n-- self`);
for (const [k, c] of [...self].sort((a, b) => b[1] - a[1]).slice(0, n)) console.log(pct(c), k);
console.log('-- inclusive');
for (const [k, c] of [...incl].sort((a, b) => b[1] - a[1]).slice(0, n)) console.log(pct(c), k);
