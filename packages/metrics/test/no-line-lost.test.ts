import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEmf } from './emf-spec.js';

// A child process runs the BUILT package the way Lambda would, with stdout a pipe to this
// process, and exits the moment its work is done (process.exit), as a frozen or recycled sandbox
// would: a line still queued in Node's asynchronous pipe writes would be lost.
const packages = fileURLToPath(new URL('../../', import.meta.url));
const tsc = fileURLToPath(new URL('../../../node_modules/typescript/bin/tsc', import.meta.url));
let dir: string;

function build(name: string): void {
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: join(packages, name), stdio: 'inherit' });
}

/** Builds metrics' dist/ unless it is newer than every source file (the root `npm test` builds first). */
function ensureMetricsBuilt(): void {
  const root = join(packages, 'metrics');
  const built = join(root, 'dist', 'index.js');
  const builtAt = existsSync(built) ? statSync(built).mtimeMs : -1;
  const sources = readdirSync(join(root, 'src')).filter((f) => f.endsWith('.ts') && !f.includes('.test'));
  if (sources.some((f) => statSync(join(root, 'src', f)).mtimeMs >= builtAt)) build('metrics');
}

beforeAll(() => {
  // Core is another package's: built only when it has no dist/ at all.
  if (!existsSync(join(packages, 'core', 'dist', 'index.js'))) build('core');
  ensureMetricsBuilt();
  dir = mkdtempSync(join(tmpdir(), 'lambdakit-metrics-'));
}, 120_000);

afterAll(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

/**
 * Runs `body` as an ES module with `lambda`, `createMetrics`, `metrics` and `context` in scope.
 * This process reads nothing from the pipe for its first `stallMs`, a slow reader: the pipe fills
 * while the child is still writing. Resolves with the child's stdout lines and exit code.
 */
async function runChild(body: string, stallMs = 300): Promise<{ lines: string[]; code: number | null }> {
  const core = pathToFileURL(join(packages, 'core', 'dist', 'index.js')).href;
  const lib = pathToFileURL(join(packages, 'metrics', 'dist', 'index.js')).href;
  const file = join(dir, `child-${Math.random().toString(36).slice(2)}.mjs`);
  writeFileSync(
    file,
    `import { lambda } from ${JSON.stringify(core)};
import { createMetrics, metrics } from ${JSON.stringify(lib)};
const context = { functionName: 'f', functionVersion: '1', invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:f',
  memoryLimitInMB: '128', awsRequestId: 'req-1', logGroupName: 'g', logStreamName: 's', callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 60000 };
${body}
`,
  );
  const env = { PATH: process.env.PATH ?? '' };
  const child = spawn(process.execPath, [file], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  const chunks: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
  child.stdout.pause();
  const stall = setTimeout(() => child.stdout.resume(), stallMs);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  clearTimeout(stall);
  const text = Buffer.concat(chunks).toString('utf8');
  return { lines: text.split('\n').filter((line) => line !== ''), code };
}

describe('no EMF line lost when the process exits right after flushing, stdout piped to a slow reader', () => {
  it('has every line of 3,000 flushes on stdout, whole and parsing as EMF', async () => {
    const { lines, code } = await runChild(`
const m = createMetrics({ namespace: 'Shop', service: 'orders' });
for (let seq = 0; seq < 3000; seq++) {
  m.addMetadata('pad', 'x'.repeat(500));
  m.add('Seq', 'Count', seq);
  m.flush();
}
process.exit(0);
`);
    expect(code).toBe(0);
    expect(lines).toHaveLength(3000);
    expect(lines.map((line) => parseEmf(line).Seq)).toEqual(Array.from({ length: 3000 }, (_, i) => i));
  }, 60_000);

  it('has every line a handler wrote with the middleware, when the process exits as the handler settles', async () => {
    const { lines, code } = await runChild(`
const handler = lambda().use(metrics({ namespace: 'Shop', coldStartMetric: false })).handle(async (_event, ctx) => {
  for (let seq = 0; seq < 2000; seq++) ctx.metrics.single('Seq', 'Count', seq, { Pad: 'y'.repeat(500) });
  ctx.metrics.add('Done', 'Count', 1);
  return 'ok';
});
const result = await handler({}, context);
process.exit(result === 'ok' ? 0 : 3);
`);
    expect(code).toBe(0);
    expect(lines).toHaveLength(2001);
    const objects = lines.map(parseEmf);
    expect(objects.slice(0, 2000).map((o) => o.Seq)).toEqual(Array.from({ length: 2000 }, (_, i) => i));
    expect(objects[2000]).toMatchObject({ Done: 1, requestId: 'req-1' });
  }, 60_000);
});
