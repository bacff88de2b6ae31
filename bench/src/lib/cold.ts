// Fresh processes for cold-start measurements: one spawn per run, the handler bundle served once
// by cold-runner.mjs, runs interleaved across jobs so load drift hits every job alike.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { settings } from './settings.js';

/** The script a cold run executes: imports a bundle, serves one invocation, reports on fd 3. */
export const coldRunner = join(dirname(fileURLToPath(import.meta.url)), 'cold-runner.mjs');

/** One fresh process's figures. */
export interface ColdRun {
  wallMs: number;
  servedMs: number;
  importedMs: number;
  /** CPU time (user + system) of the process at its first response. */
  cpuMs: number;
}

/** One kind of process to start: `node <args>` with `env` (only PATH is inherited). */
export interface ColdJob {
  key: string;
  args: string[];
  env: Record<string, string>;
}

/** Spawns one process; wall time is spawn → exit, as the parent sees it. */
export function spawnOnce(args: string[], env: Record<string, string>): Promise<ColdRun> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, args, {
      stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH ?? '', ...env },
    });
    let report = '';
    let stderr = '';
    child.stdio[3]?.on('data', (c: Buffer) => {
      report += c.toString();
    });
    child.stderr?.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    child.on('exit', (code) => {
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      if (code !== 0) return reject(new Error(`cold start run exited ${code}: ${stderr.slice(0, 2000)}`));
      if (report === '') return resolve({ wallMs, servedMs: Number.NaN, importedMs: Number.NaN, cpuMs: Number.NaN });
      const r = JSON.parse(report) as { servedMs: number; importedMs: number; cpuMs: number; statusCode: unknown };
      if (r.statusCode !== 200)
        return reject(new Error(`handler answered ${String(r.statusCode)}, not 200: ${stderr}`));
      resolve({ wallMs, servedMs: r.servedMs, importedMs: r.importedMs, cpuMs: r.cpuMs });
    });
  });
}

/**
 * One untimed warm-up pass (file-system cache), then `settings.coldRuns` rounds, the jobs in a
 * rotating order each round. Run `i` of every job comes from round `i`, so runs pair by index.
 */
export async function coldRuns(jobs: readonly ColdJob[]): Promise<Map<string, ColdRun[]>> {
  for (const job of jobs) await spawnOnce(job.args, job.env);
  const runs = new Map<string, ColdRun[]>(jobs.map((j) => [j.key, []]));
  for (let r = 0; r < settings.coldRuns; r++) {
    for (let k = 0; k < jobs.length; k++) {
      const job = jobs[(r + k) % jobs.length]!;
      runs.get(job.key)!.push(await spawnOnce(job.args, job.env));
    }
  }
  return runs;
}
