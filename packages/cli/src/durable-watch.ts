import { CliError } from './cli-error.js';

// With time skipped, a suspended execution that has anything left but a callback nobody can
// answer is invoked again at once; this long without an invocation, it is waiting for that callback.
const IDLE_MS = 1500;

/**
 * Watches one execution for what would make it wait for ever, and stops the run with the reason:
 * a callback that has no answer and no timeout, once nothing else is left to run (a parallel
 * branch may still finish the execution without it), or a `ctx.invoke` of another function.
 */
export class ExecutionWatch {
  /** Rejects with the reason the run stops; never resolves. */
  readonly stopped: Promise<never>;
  private reject: (error: CliError) => void = () => undefined;
  private readonly forever = new Map<string, string>();
  private idle: ReturnType<typeof setTimeout> | undefined;

  constructor(
    readonly skip: boolean,
    private readonly stderr: NodeJS.WritableStream,
  ) {
    this.stopped = new Promise<never>((_, reject) => {
      this.reject = reject;
    });
    // Observed by the race in invokeDurable; a run that ends first leaves it pending, never rejected.
    this.stopped.catch(() => undefined);
  }

  stop(error: CliError): void {
    this.clearIdle();
    this.reject(error);
  }

  /** A callback with no answer and no timeout started (`name`, as the command line would answer it). */
  waitsForever(id: string, name: string): void {
    this.forever.set(id, name);
    const then = this.skip
      ? 'the run stops if the execution has nothing else to do'
      : 'the execution waits for it for ever (Ctrl-C stops)';
    this.stderr.write(
      `lambdakit: durable: callback "${name}" has no answer and no timeout: ${then}; ${answerHint(name)}\n`,
    );
  }

  invocationStarted(): void {
    this.clearIdle();
  }

  /** An invocation answered (`PENDING`: suspended): with time skipped, waiting for ever is now possible. */
  invocationEnded(status: unknown): void {
    if (!this.skip || status !== 'PENDING' || this.forever.size === 0) return;
    this.clearIdle();
    this.idle = setTimeout(() => {
      const [name = ''] = this.forever.values();
      this.stop(
        new CliError(
          'CLI_USAGE',
          `callback "${name}" has no answer and no timeout, and the execution has nothing else to do: it would wait for ever; ${answerHint(name)}`,
        ),
      );
    }, IDLE_MS);
  }

  /** The run is over: nothing is watched any more. */
  close(): void {
    this.clearIdle();
  }

  private clearIdle(): void {
    if (this.idle !== undefined) clearTimeout(this.idle);
    this.idle = undefined;
  }
}

export function answerHint(name: string): string {
  return `answer it with --callback ${name}=JSON or --callback-failure ${name}=MESSAGE`;
}
