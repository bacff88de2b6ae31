import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildSync, type Metafile } from 'esbuild';

/** The Node.js runtimes lambdakit functions run on: Lambda's current ones. */
export type NodeRuntime = 'nodejs22.x' | 'nodejs24.x';

/** How {@link bundleHandler} builds a handler. */
export interface BundleOptions {
  /** The runtime the bundle targets (its Node.js version's syntax is left as it is). */
  runtime: NodeRuntime;
  /** Minify the bundle (names of classes and functions are kept, so error names survive). */
  minify: boolean;
  /** Write `index.mjs.map` beside the bundle. */
  sourceMap: boolean;
  /** Modules left out of the bundle, besides `@aws-sdk/*` (which the runtime provides). */
  externalModules: readonly string[];
  /** The folder esbuild works in: relative paths in error messages start there. */
  workingDir: string;
}

/** A handler bundled for Lambda: one ES module, `index.mjs`, in a folder of its own. */
export interface HandlerBundle {
  /** The folder the bundle was written to: the function's code asset (removed once CDK has copied it into the assembly). */
  dir: string;
  /** The bundle's file name in `dir`: `index.mjs`. */
  file: string;
  /** Every module with code in the bundle, as absolute paths. */
  modules: string[];
  /** The names the bundle exports. */
  exports: string[];
}

// CommonJS dependencies (pino's) call `require` for Node's built-ins; an ES module has none, so the
// bundle makes one. The import is renamed so it cannot clash with a name of the bundle's own.
const REQUIRE_SHIM =
  "import { createRequire as __lambdakitCreateRequire } from 'node:module';\n" +
  'const require = __lambdakitCreateRequire(import.meta.url);';

/**
 * Bundles `entry` with esbuild, as Lambda's Node.js runtime loads it: ESM, the AWS SDK external,
 * dependencies' ES module builds first (they tree-shake). Synchronous, because a construct's
 * constructor needs the result. The caller removes the folder once CDK has staged it.
 */
export function bundleHandler(entry: string, options: BundleOptions): HandlerBundle {
  const dir = mkdtempSync(join(tmpdir(), 'lambdakit-bundle-'));
  const file = 'index.mjs';
  const result = buildSync({
    entryPoints: [entry],
    outfile: join(dir, file),
    absWorkingDir: options.workingDir,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: options.runtime === 'nodejs24.x' ? 'node24' : 'node22',
    mainFields: ['module', 'main'],
    external: ['@aws-sdk/*', ...options.externalModules],
    minify: options.minify,
    keepNames: true,
    sourcemap: options.sourceMap,
    legalComments: 'linked',
    banner: { js: REQUIRE_SHIM },
    metafile: true,
    logLevel: 'silent',
  });
  const exports = Object.values(result.metafile.outputs).flatMap((output) => output.exports);
  return { dir, file, modules: modulesOf(result.metafile).map((path) => resolve(options.workingDir, path)), exports };
}

function modulesOf(metafile: Metafile): string[] {
  return Object.values(metafile.outputs).flatMap((output) =>
    Object.entries(output.inputs)
      .filter(([, input]) => input.bytesInOutput > 0)
      .map(([path]) => path),
  );
}
