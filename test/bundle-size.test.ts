import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const packagesDir = new URL('../packages/', import.meta.url);
const ceilings = JSON.parse(readFileSync(new URL('./bundle-size-ceilings.json', import.meta.url), 'utf8')) as Record<
  string,
  number
>;

/**
 * Bytes of a package bundled as a user's function would bundle it: minified ESM for Node, with
 * the AWS SDK external (the Lambda runtime provides it) and its own dependencies included.
 */
async function bundledBytes(dir: string): Promise<{ bytes: number; gzipBytes: number }> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL(`${dir}/src/index.ts`, packagesDir))],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // A dependency's ES module build before its CommonJS one, as AWS CDK's NodejsFunction bundles
    // ESM: the OpenTelemetry packages tree-shake only from theirs (27 KB gzip for the tracer, 84 KB
    // from CommonJS, which carries every semantic convention and the metrics SDK).
    mainFields: ['module', 'main'],
    write: false,
    external: ['@aws-sdk/*', 'pino-pretty'],
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]!.contents;
  return { bytes: code.byteLength, gzipBytes: gzipSync(code).byteLength };
}

// Bytes are stable where time is not: a ceiling per package catches a dependency or a code path
// that bloats every function using it. Raise a ceiling deliberately, in the same change.
describe('bundle size', () => {
  // The CLI runs on a developer's machine and @lambdakit/cdk at synth: neither is in a function's
  // bundle (the examples' CDK tests check that the synthesised bundles hold no aws-cdk-lib).
  const packages = readdirSync(packagesDir).filter((dir) => dir !== 'cli' && dir !== 'cdk');
  it.each(packages)('of @lambdakit/%s stays under its gzip ceiling', async (dir) => {
    const { gzipBytes } = await bundledBytes(dir);
    const ceiling = ceilings[dir];
    expect(
      ceiling,
      `add a ceiling for ${dir} to test/bundle-size-ceilings.json (now ${gzipBytes} gzip bytes)`,
    ).toBeTypeOf('number');
    expect(gzipBytes).toBeLessThanOrEqual(ceiling!);
  });
});
