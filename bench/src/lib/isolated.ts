import { fork } from 'node:child_process';

/**
 * Runs `file` with `args` in a fresh process (tsx, `--expose-gc`) and resolves with the one message
 * it sends over IPC; rejects with its stderr when it exits otherwise. `label` names it in the error.
 */
export function forkForAnswer<T>(file: string, args: string[], env: Record<string, string>, label: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const child = fork(file, args, {
      execArgv: ['--import', 'tsx', '--expose-gc'],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      env: { ...process.env, ...env },
    });
    let stderr = '';
    child.stderr?.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    child.on('message', (m) => resolve(m as T));
    child.on('exit', (code) => {
      if (code !== 0) reject(new Error(`${label}: exit ${code}\n${stderr.slice(0, 2000)}`));
    });
  });
}

/**
 * Runs `file --isolated <arg>` in fresh processes, `processes` times per arg, alternating args
 * so load drift is shared; each child answers with its samples over IPC. Used where one
 * variant could change the whole process (an AsyncLocalStorage turns on promise hooks on
 * Node 20, taxing every other variant in that process).
 */
export async function runIsolated(
  file: string,
  args: readonly string[],
  processes: number,
  env: Record<string, string>,
): Promise<Map<string, number[]>> {
  const out = new Map<string, number[]>(args.map((a) => [a, []]));
  for (let p = 0; p < processes; p++) {
    for (const arg of args) {
      out.get(arg)!.push(...(await forkForAnswer<number[]>(file, ['--isolated', arg], env, arg)));
    }
  }
  return out;
}
