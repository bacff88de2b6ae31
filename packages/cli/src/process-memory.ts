import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/**
 * A process's peak resident memory in MB, rounded up, as Lambda's `REPORT` gives it: `VmHWM` on
 * Linux; elsewhere its resident size now (`ps`), the best a sampler can do. 0 once it is gone.
 */
export function peakMemoryMb(pid: number): number {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    if (match !== null) return Math.ceil(Number(match[1]) / 1024);
  } catch {
    // no /proc: not Linux, or the process has exited
  }
  if (process.platform === 'linux') return 0;
  try {
    const kb = Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).trim());
    return kb > 0 ? Math.ceil(kb / 1024) : 0;
  } catch {
    return 0;
  }
}
