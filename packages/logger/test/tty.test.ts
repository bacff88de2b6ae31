import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Local development: with no destination given, a logger whose stdout is a terminal writes
// pino-pretty's human-readable lines, and JSON lines otherwise. A real terminal comes from
// util-linux's `script`, which runs the child on a pseudo-terminal and copies what it shows.
const logger = pathToFileURL(fileURLToPath(new URL('../dist/index.js', import.meta.url))).href;
const hasScript = (() => {
  try {
    execFileSync('script', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
let dir: string;
let child: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lambdakit-logger-tty-'));
  child = join(dir, 'child.mjs');
  writeFileSync(
    child,
    `import { createLogger } from ${JSON.stringify(logger)};
const log = createLogger({ persistentKeys: { service: 'orders' } });
log.info({ orderId: 'o-1' }, 'order accepted');
log.warn('careful');
`,
  );
});

afterAll(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

const env = () => {
  const copy = { ...process.env };
  delete copy.LAMBDAKIT_LOG_PRETTY;
  return copy;
};

// Spawns processes: the limit guards against a hang on a loaded machine, it measures nothing.
describe('createLogger() without a destination', { timeout: 60_000 }, () => {
  it('writes JSON lines when stdout is a pipe', () => {
    const out = execFileSync(process.execPath, [child], { env: env(), encoding: 'utf8' });
    const lines = out
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toMatchObject([
      { level: 'INFO', message: 'order accepted', orderId: 'o-1', service: 'orders' },
      { level: 'WARN', message: 'careful' },
    ]);
  });

  it.skipIf(!hasScript)('writes human-readable lines, not JSON, when stdout is a terminal', () => {
    const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(child)}`;
    const shown = execFileSync('script', ['-qec', command, '/dev/null'], { env: env(), encoding: 'utf8' });
    // biome-ignore lint/suspicious/noControlCharactersInRegex: strips the terminal's colour codes
    const text = shown.replace(/\u001b\[[0-9;]*m/g, '').replace(/\r/g, '');
    expect(text).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: order accepted$/m);
    expect(text).toMatch(/^\s+orderId: "o-1"$/m);
    expect(text).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] WARN: careful$/m);
    expect(text).not.toMatch(/"level":/);
  });
});
