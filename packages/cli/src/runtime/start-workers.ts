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
    Array.from({ length: count }, () => {
      const worker = new Worker(entry, { env: process.env, execArgv });
      // A worker's end is not logged: 4.x's main thread has no logger set up to say it.
      return new Promise<void>((resolve) => {
        worker.once('error', () => resolve());
        worker.once('exit', () => resolve());
      });
    }),
  );
}

/**
 * `AWS_LAMBDA_NODEJS_WORKER_COUNT` when set (read as an integer: `0` or a non-number starts none),
 * else 8 × the CPUs of the cgroup's quota (the machine's when unlimited, 1 when unreadable).
 */
export function workerCount(env: NodeJS.ProcessEnv = process.env): number {
  const configured = env.AWS_LAMBDA_NODEJS_WORKER_COUNT;
  if (configured) return Math.max(0, Number.parseInt(configured, 10) || 0);
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
