import type { ScenarioResult } from './report.js';
import { renderScenario } from './report.js';

/** What a scenario child sends to `run.ts` over IPC. */
export type ScenarioMessage = { ok: true; result: ScenarioResult } | { ok: false; error: string };

/**
 * Runs one scenario in this (child) process and hands the result to `run.ts` over IPC.
 * Run directly (`npx tsx bench/src/scenarios/x.ts`), it prints the section on stderr,
 * since stdout is where the loggers under test write.
 */
export async function runScenario(fn: () => Promise<ScenarioResult>): Promise<void> {
  const started = performance.now();
  let message: ScenarioMessage;
  try {
    const result = await fn();
    result.durationMs = performance.now() - started;
    message = { ok: true, result };
  } catch (error) {
    message = { ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
  if (process.send !== undefined) {
    process.send(message, () => process.exit(0));
  } else {
    process.stderr.write(message.ok ? `${renderScenario(message.result)}\n` : `${message.error}\n`);
    process.exit(message.ok ? 0 : 1);
  }
}
