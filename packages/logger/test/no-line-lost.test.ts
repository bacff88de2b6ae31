import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// A child process runs the BUILT packages the way Lambda would, and exits the moment the
// handler settles (process.exit), as a frozen or recycled sandbox would: any line still queued
// in an asynchronous stream or a worker-thread transport would be lost.
const packages = fileURLToPath(new URL('../../', import.meta.url));
const tsc = fileURLToPath(new URL('../../../node_modules/typescript/bin/tsc', import.meta.url));
let dir: string;

/** Builds a package's dist/ unless it is newer than every source file (the root `npm test` builds first). */
function ensureBuilt(name: string): void {
  const root = join(packages, name);
  const built = join(root, 'dist', 'index.js');
  const builtAt = (() => {
    try {
      return statSync(built).mtimeMs;
    } catch {
      return -1;
    }
  })();
  const sources = readdirSync(join(root, 'src')).filter((f) => f.endsWith('.ts') && !f.includes('.test'));
  if (sources.every((f) => statSync(join(root, 'src', f)).mtimeMs < builtAt)) return;
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
}

beforeAll(() => {
  ensureBuilt('core');
  ensureBuilt('logger');
  dir = mkdtempSync(join(tmpdir(), 'lambdakit-logger-'));
}, 120_000);

afterAll(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

/** Runs `body` as an ES module with `lambda`, `logger` and `context` in scope; resolves with its stdout lines. */
async function runChild(body: string): Promise<{ lines: string[]; code: number | null }> {
  const core = pathToFileURL(join(packages, 'core', 'dist', 'index.js')).href;
  const log = pathToFileURL(join(packages, 'logger', 'dist', 'index.js')).href;
  const file = join(dir, `child-${Math.random().toString(36).slice(2)}.mjs`);
  writeFileSync(
    file,
    `import { lambda } from ${JSON.stringify(core)};
import { logger } from ${JSON.stringify(log)};
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
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  const text = Buffer.concat(chunks).toString('utf8');
  return { lines: text.split('\n').filter((line) => line !== ''), code };
}

describe('no line lost when the process ends right after the handler settles', () => {
  it('has every line on stdout, whole and in order, when the handler succeeds', async () => {
    const { lines, code } = await runChild(`
const handler = lambda().use(logger()).handle(async (_event, ctx) => {
  for (let seq = 0; seq < 3000; seq++) ctx.log.info({ seq, pad: 'x'.repeat(500) }, 'line');
  return 'ok';
});
const result = await handler({}, context);
process.exit(result === 'ok' ? 0 : 3);
`);
    expect(code).toBe(0);
    expect(lines).toHaveLength(3000);
    expect(lines.map((line) => JSON.parse(line).seq)).toEqual(Array.from({ length: 3000 }, (_, i) => i));
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'INFO', requestId: 'req-1', message: 'line' });
  }, 60_000);

  it('has every held-back line on stdout when the handler fails', async () => {
    const { lines, code } = await runChild(`
const handler = lambda().use(logger({ buffer: { maxLines: 1000 } })).handle(async (_event, ctx) => {
  for (let seq = 0; seq < 800; seq++) ctx.log.debug({ seq, pad: 'y'.repeat(500) }, 'context');
  throw new Error('boom');
});
try {
  await handler({}, context);
  process.exit(0);
} catch {
  process.exit(1);
}
`);
    expect(code).toBe(1);
    expect(lines).toHaveLength(801);
    expect(lines.map((line) => JSON.parse(line))).toEqual([
      ...Array.from({ length: 800 }, (_, seq) => expect.objectContaining({ level: 'DEBUG', seq, message: 'context' })),
      expect.objectContaining({ level: 'ERROR', message: 'invocation failed: Error: boom' }),
    ]);
  }, 60_000);
});
