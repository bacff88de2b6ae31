import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The built CLI, run as a user runs it: `node packages/cli/dist/bin.js …`. */
export const binFile = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
/** The package folder: fixture paths in tests are relative to it (`test/fixtures/echo.mjs`). */
export const packageDir = fileURLToPath(new URL('..', import.meta.url));

/**
 * Per-test time limit for tests that spawn the CLI: a guard against a hung run on a loaded
 * machine (several node processes per test), never a measure of speed.
 */
export const SPAWN_TIMEOUT_MS = 60_000;

/** What a CLI run printed, and how it exited. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A `lambdakit` process still running: its output so far, and a way to wait for some of it. */
export interface RunningCli {
  child: ChildProcess;
  /** Resolves when the process has exited and its output is closed. */
  exited: Promise<CliRun>;
  /** Resolves with stderr so far once it matches `pattern`; rejects if the process exits first. */
  stderrMatching(pattern: RegExp): Promise<string>;
}

/** Spawns `lambdakit <args>` and returns at once; `input` is written to its stdin. */
export function startLambdakit(
  args: readonly string[],
  options: { cwd?: string; input?: string; env?: Record<string, string> } = {},
): RunningCli {
  const child = spawn(process.execPath, [binFile, ...args], {
    cwd: options.cwd ?? packageDir,
    env: { ...process.env, NO_COLOR: '1', ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<CliRun>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  child.stdin.end(options.input ?? '');
  const stderrMatching = (pattern: RegExp) =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        if (!pattern.test(stderr)) return;
        child.stderr.off('data', check);
        resolve(stderr);
      };
      child.stderr.on('data', check);
      check();
      void exited.then(() => reject(new Error(`exited before stderr matched ${pattern}:\n${stderr}`)));
    });
  return { child, exited, stderrMatching };
}

/** Spawns `lambdakit <args>` and collects its output; `input` is written to its stdin. */
export function lambdakit(
  args: readonly string[],
  options: { cwd?: string; input?: string; env?: Record<string, string> } = {},
): Promise<CliRun> {
  return startLambdakit(args, options).exited;
}

/** The JSON values printed one per line on stdout. */
export function jsonLines(text: string): unknown[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as unknown);
}

/** The lines of `text` starting with `prefix`. */
export function linesStarting(text: string, prefix: string): string[] {
  return text.split('\n').filter((line) => line.startsWith(prefix));
}
