// node bench/profile/bundle.mjs [variant]: what lambdakit's modules add to a variant's bundle
// (default api/lambdakit), bundled as the bench does (esbuild, minified ESM, `@aws-sdk/*` external),
// module by module, minified bytes, with each package's total. Run from bench/.
//   node profile/bundle.mjs api/lambdakit-idempotent

import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const variant = process.argv[2] ?? 'api/lambdakit';
const result = await build({
  entryPoints: [new URL(`../src/variants/${variant}.ts`, import.meta.url).pathname],
  bundle: true,
  minify: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['@aws-sdk/*'],
  legalComments: 'none',
  metafile: true,
  write: false,
  outfile: '/tmp/profile-bundle.mjs',
  logLevel: 'error',
});
const code = result.outputFiles[0].contents;
const output = Object.values(result.metafile.outputs)[0];
const byPackage = new Map();
for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
  const match = /packages\/([^/]+)\/dist\/(.+)\.js$/.exec(input);
  if (match === null || bytesInOutput === 0) continue;
  const [, pkg, module] = match;
  const modules = byPackage.get(pkg) ?? [];
  modules.push([module, bytesInOutput]);
  byPackage.set(pkg, modules);
}
const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
let lambdakit = 0;
for (const [pkg, modules] of [...byPackage].sort()) {
  const total = modules.reduce((sum, [, bytes]) => sum + bytes, 0);
  lambdakit += total;
  modules.sort((a, b) => b[1] - a[1]);
  console.log(`@lambdakit/${pkg} ${kib(total)}: ${modules.map(([m, b]) => `${m} ${b}`).join(', ')}`);
}
console.log(
  `lambdakit ${kib(lambdakit)} of ${kib(code.length)} minified; the bundle ${kib(gzipSync(code, { level: 9 }).length)} gzip`,
);
