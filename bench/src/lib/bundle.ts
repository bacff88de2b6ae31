import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const src = dirname(dirname(fileURLToPath(import.meta.url)));
/** Where bundles are written: inside bench/ so the externals (`@aws-sdk/*`) resolve at run time. */
export const outDir = join(dirname(src), '.out');

/** A bundled variant: its file, size, gzip size, and the bytes each package contributes. */
export interface Bundle {
  file: string;
  bytes: number;
  gzipBytes: number;
  byPackage: Map<string, number>;
}

function packageOf(input: string): string {
  const at = input.lastIndexOf('node_modules/');
  if (at === -1) {
    // Workspace packages are symlinked: esbuild reports their real path, packages/<name>/dist/….
    const workspace = /(?:^|\/)packages\/([^/]+)\//.exec(input);
    return workspace === null ? '(handler code)' : `@lambdakit/${workspace[1]}`;
  }
  const rest = input.slice(at + 'node_modules/'.length).split('/');
  return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
}

/**
 * Bundles `src/variants/<entry>.ts` the way a Lambda deployment would: esbuild, minified ESM,
 * platform node, `@aws-sdk/*` external (the Node.js runtime provides SDK v3), no legal
 * comments. The banner gives bundled CommonJS (pino) a `require`.
 */
export async function bundleVariant(
  entry: string,
  name: string,
  options: { packagesFromNodeModules?: boolean; mainFields?: string[] } = {},
): Promise<Bundle> {
  const file = join(outDir, 'bundles', `${name}.mjs`);
  mkdirSync(dirname(file), { recursive: true });
  const result = await build({
    entryPoints: [join(src, 'variants', `${entry}.ts`)],
    outfile: file,
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // Without a bundler, as many deploy: only the handler's own code is compiled; every package
    // (lambdakit's included) is imported from node_modules at run time.
    ...(options.packagesFromNodeModules === true ? { packages: 'external' as const } : { external: ['@aws-sdk/*'] }),
    legalComments: 'none',
    // esbuild's default for `platform: node` is `main` first (CommonJS builds where a package has both).
    ...(options.mainFields === undefined ? {} : { mainFields: options.mainFields }),
    metafile: true,
    write: true,
    logLevel: 'error',
    banner: { js: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);" },
  });
  const output = Object.values(result.metafile.outputs)[0]!;
  const byPackage = new Map<string, number>();
  for (const [input, info] of Object.entries(output.inputs)) {
    const pkg = packageOf(input);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + info.bytesInOutput);
  }
  const code = readFileSync(file);
  return { file, bytes: code.length, gzipBytes: gzipSync(code, { level: 9 }).length, byPackage };
}

/** The `n` packages that weigh most in a bundle, as `name 12.3 KiB`, heaviest first. */
export function largestParts(bundle: Bundle, n = 4): string {
  return [...bundle.byPackage]
    .sort((x, y) => y[1] - x[1])
    .slice(0, n)
    .map(([pkg, bytes]) => `${pkg} ${(bytes / 1024).toFixed(1)} KiB`)
    .join(', ');
}
