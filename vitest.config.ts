import { readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const packages = readdirSync(here('./packages'));
const examples = readdirSync(here('./examples'));

// Tests import every workspace package from its TypeScript source, so one module graph holds
// one copy of each package (instanceof checks and module-level state stay consistent) and a
// change is tested without a rebuild. Child processes spawned by tests use the built dist/.
// A subpath (`@lambdakit/parser/large-payloads`) is its entry file, `src/entry/<name>.ts`.
const alias = packages
  .filter((dir) => dir !== 'cli')
  .flatMap((dir) => [
    { find: new RegExp(`^@lambdakit/${dir}$`), replacement: here(`./packages/${dir}/src/index.ts`) },
    { find: new RegExp(`^@lambdakit/${dir}/([a-z-]+)$`), replacement: here(`./packages/${dir}/src/entry/$1.ts`) },
  ]);

/** One vitest project per workspace folder: unit tests beside the source (and an example's CDK app's, in infra/). */
const project = (dir: string, name: string) => ({
  extends: true as const,
  test: {
    name,
    root: here(`./${dir}`),
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'infra/**/*.test.ts'],
    // A CDK synth loads aws-cdk-lib and bundles handlers: seconds each, more on a loaded machine.
    // The limit guards against a hang; it measures nothing.
    ...(dir === 'packages/cdk' || dir.startsWith('examples/') ? { testTimeout: 60_000, hookTimeout: 60_000 } : {}),
  },
});

// The AWS SDK's notice that its next versions need Node 22, in this process too (dynalite's setup).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export default defineConfig({
  resolve: { alias },
  test: {
    // Vitest's default on 2 cores is one worker. Most test files wait on child processes (the CLI,
    // sandboxes, the runtime client) and loopback servers rather than compute, so two share 2 cores well.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // One dynalite for the whole run, shared by every project (see the file).
    globalSetup: [here('./test/local-dynamo-setup.ts')],
    // The tests run under Node 20 too (development's floor), where the AWS SDK prints a notice that
    // its next versions need Node 22 in every process that loads it: noise in a passing run.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    projects: [
      ...packages.map((dir) => project(`packages/${dir}`, dir)),
      ...examples.map((dir) => project(`examples/${dir}`, `example-${dir}`)),
      {
        extends: true,
        test: { name: 'integration', root: here('./test'), include: ['**/*.test.ts'] },
      },
      // Every package's and example's type tests (*.test-d.ts), checked by one tsc run.
      {
        extends: true,
        test: {
          name: 'types',
          root: here('.'),
          include: [],
          typecheck: {
            enabled: true,
            include: ['packages/*/src/**/*.test-d.ts', 'examples/*/src/**/*.test-d.ts', 'test/**/*.test-d.ts'],
            tsconfig: here('./tsconfig.types.json'),
          },
        },
      },
    ],
    reporters: process.env.VITEST_JSON_REPORT ? ['default', 'json'] : ['default'],
    outputFile: { json: process.env.VITEST_JSON_REPORT ?? '' },
  },
});
