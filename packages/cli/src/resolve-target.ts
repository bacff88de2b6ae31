import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, dirname, extname, relative, resolve } from 'node:path';
import { CliError } from './cli-error.js';

/** The function to run: its file and export, and Lambda's settings that name them. */
export interface FunctionTarget {
  file: string;
  exportName: string;
  /** Lambda's `_HANDLER`: the module path without extension, a dot, the export (`dist/handler.main`). */
  handler: string;
  /** `LAMBDA_TASK_ROOT`: the folder `handler` is relative to (the current directory, or the module's own). */
  taskRoot: string;
  /** Another file Lambda's loader would take for `handler` before `file` (`dist/handler.js` before `.mjs`). */
  shadowedBy: string | undefined;
}

const RUNNABLE = new Set(['.js', '.mjs', '.cjs']);

/**
 * Resolves `<module>[#export]` against `cwd`: checks the file exists and can be run, and builds
 * the `_HANDLER` Lambda would be configured with. Lambda splits `_HANDLER` at the first dot of
 * the file name, so a module whose name has a dot before its extension cannot be named by it.
 */
export async function resolveTarget(target: string, cwd: string): Promise<FunctionTarget> {
  const hash = target.lastIndexOf('#');
  const modulePath = hash === -1 ? target : target.slice(0, hash);
  const exportName = hash === -1 ? 'handler' : target.slice(hash + 1);
  if (modulePath === '')
    throw new CliError('CLI_INVALID_HANDLER', `"${target}": expected <module>[#export], e.g. dist/handler.js#handler`);
  if (exportName === '') throw new CliError('CLI_INVALID_HANDLER', `"${target}": the export name after "#" is empty`);
  const file = resolve(cwd, modulePath);
  const extension = extname(file);
  if (['.ts', '.mts', '.cts', '.tsx'].includes(extension)) {
    throw new CliError(
      'CLI_INVALID_HANDLER',
      `${modulePath}: TypeScript is not run directly; build it and invoke the JavaScript output (e.g. dist/handler.js)`,
    );
  }
  const info = await stat(file).catch(() => undefined);
  if (info === undefined)
    throw new CliError('CLI_INVALID_HANDLER', `${modulePath}: module not found (looked for ${file})`, {
      file: modulePath,
    });
  if (!info.isFile()) throw new CliError('CLI_INVALID_HANDLER', `${modulePath}: not a file`, { file: modulePath });
  if (!RUNNABLE.has(extension)) {
    throw new CliError('CLI_INVALID_HANDLER', `${modulePath}: expected a .js, .mjs or .cjs module`, {
      file: modulePath,
    });
  }
  const stem = basename(file, extension);
  if (stem.includes('.')) {
    throw new CliError(
      'CLI_INVALID_HANDLER',
      `${modulePath}: Lambda's handler setting names a module by its file name up to the first dot, so "${basename(file)}" cannot be a handler module; rename it (e.g. ${stem.replaceAll('.', '-')}${extension})`,
      { file: modulePath },
    );
  }
  // A module outside the current directory is run from its own folder: `_HANDLER` cannot climb up.
  const inside = !relative(cwd, file).startsWith('..');
  const taskRoot = inside ? cwd : dirname(file);
  const withoutExtension = relative(taskRoot, file).slice(0, -extension.length);
  // Lambda's loader tries the name as written, then .js, .mjs and .cjs, and takes the first that exists.
  const first = ['', '.js', '.mjs', '.cjs']
    .map((candidate) => resolve(taskRoot, withoutExtension + candidate))
    .find((candidate) => existsSync(candidate));
  return {
    file,
    exportName,
    handler: `${withoutExtension}.${exportName}`,
    taskRoot,
    shadowedBy: first !== undefined && first !== file ? relative(cwd, first) : undefined,
  };
}
