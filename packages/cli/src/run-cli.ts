import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { CliError, EXIT_FUNCTION_ERROR, EXIT_OK, EXIT_USAGE } from './cli-error.js';
import type { CommandIo } from './invoke-run.js';
import { registerEvents } from './register-events.js';
import { registerInvoke } from './register-invoke.js';
import { registerLogs } from './register-logs.js';
import { registerOpenapi } from './register-openapi.js';

/** The streams and directory the CLI works with (the process's own by default). */
export interface CliIo extends CommandIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
}

// dist/run-cli.js sits one level below the package root, in the repository and once installed.
const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string })
  .version;

/**
 * Builds the `lambdakit` command line (commander): `invoke`, `events`, `logs`, `openapi`. Each action
 * stores its exit code through `setExitCode`.
 */
export function createProgram(io: CliIo, setExitCode: (code: number) => void): Command {
  const program = new Command('lambdakit')
    .description('Run, test and inspect AWS Lambda functions locally, with Lambda semantics')
    .version(VERSION)
    .exitOverride()
    .showHelpAfterError('(add --help for usage)')
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      // One prefix for every error the CLI prints: commander's own say `error:`.
      outputError: (text, write) => write(text.replace(/^error: /, 'lambdakit: ')),
    });
  registerInvoke(program, io, setExitCode);
  registerEvents(program, io, setExitCode);
  registerLogs(program, io, setExitCode);
  registerOpenapi(program, io, setExitCode);
  return program;
}

/**
 * Runs the CLI on `argv` (as `process.argv`: node, script, then arguments) and resolves with
 * the exit code: 0 success, 1 an invocation failed, 2 bad usage. Never throws.
 */
export async function runCli(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  let exitCode = EXIT_OK;
  const program = createProgram(io, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync([...argv]);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.exitCode === 0
        ? EXIT_OK
        : EXIT_USAGE;
    }
    if (error instanceof CliError) {
      io.stderr.write(`lambdakit: ${error.message}\n`);
      return EXIT_USAGE;
    }
    io.stderr.write(
      `lambdakit: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return EXIT_FUNCTION_ERROR;
  }
}

function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, cwd: process.cwd() };
}
