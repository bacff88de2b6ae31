import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { Worker } from 'node:worker_threads';

/**
 * Lambda Managed Instances: the runtime starts worker threads that each load the function and
 * take invocations; `AWS_LAMBDA_NODEJS_WORKER_COUNT` sets how many, else eight per vCPU. Resolves
 * when every worker has exited.
 */
export async function startWorkers(entry: URL): Promise<void> {
  const count = workerCount();
  // Flags a worker thread cannot take (heap sizes are the process's).
  const execArgv = process.execArgv.filter(
    (arg) => !['--expose-gc', '--max-semi-space-size', '--max-old-space-size'].some((flag) => arg.startsWith(flag)),
  );
  await Promise.allSettled(
    Array.from({ length: count }, (_, id) => {
      const worker = new Worker(entry, { env: process.env, execArgv });
      return new Promise<void>((resolve) => {
        worker.once('error', (error) => {
          console.error(`Worker ${id} error:`, error);
          resolve();
        });
        worker.once('exit', (code) => {
          if (code !== 0) console.error(`Worker ${id} exited with code ${code}`);
          resolve();
        });
      });
    }),
  );
}

/** `AWS_LAMBDA_NODEJS_WORKER_COUNT`, else 8 × the CPUs of the cgroup's quota (or of the machine without one). */
export function workerCount(env: NodeJS.ProcessEnv = process.env): number {
  const configured = Number.parseInt(env.AWS_LAMBDA_NODEJS_WORKER_COUNT ?? '', 10);
  if (configured > 0) return configured;
  return 8 * availableCpus();
}

function availableCpus(): number {
  try {
    const [quota, period] = readFileSync('/sys/fs/cgroup/cpu.max', 'utf8').trim().split(/\s+/);
    if (quota === 'max') return Math.max(1, cpus().length);
    const cpusByQuota = Math.ceil(Number(quota) / Number(period));
    if (cpusByQuota > 0) return cpusByQuota;
  } catch {
    // no cgroup v2 quota to read
  }
  return 1;
}
