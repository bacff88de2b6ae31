// node bench/profile/import.mjs <module>... : the CPU time of importing the modules named, in order,
// after what every API variant loads anyway (zod, pino, the SSM client, @middy/core, @lambdakit/core),
// as a cold start without a bundler pays it; writes the profile of that import to
// /tmp/import.cpuprofile (read it with profile/top.mjs). Run from bench/ so packages resolve.
//   node profile/import.mjs @lambdakit/parser
//   node profile/import.mjs @lambdakit/parser/parse @lambdakit/parser/apigw-http

import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';

for (const shared of ['zod', 'pino', '@aws-sdk/client-ssm', '@middy/core', '@lambdakit/core']) await import(shared);
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 50 });
await session.post('Profiler.start');
const cpu = process.cpuUsage();
const start = performance.now();
for (const name of process.argv.slice(2)) await import(name);
const wall = performance.now() - start;
const { user, system } = process.cpuUsage(cpu);
const { profile } = await session.post('Profiler.stop');
writeFileSync('/tmp/import.cpuprofile', JSON.stringify(profile));
console.log(
  `${process.argv.slice(2).join(' ')}: ${wall.toFixed(1)} ms wall, ${((user + system) / 1000).toFixed(1)} ms CPU`,
);
