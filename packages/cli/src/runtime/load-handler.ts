import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runtimeError } from './runtime-errors.js';
import type { RuntimeGeneration } from './runtime-generation.js';

/** A function handler as Lambda calls it: `(event, context[, callback])`, or `(event, stream, context)`. */
export type UserHandler = (...args: unknown[]) => unknown;

/** The loaded handler and what the runtime needs to know about it. */
export interface LoadedHandler {
  handler: UserHandler;
  /** Wrapped by `awslambda.streamifyResponse`: called as `(event, responseStream, context)`. */
  streaming: boolean;
  highWaterMark: number | undefined;
}

const STREAMING = Symbol.for('aws.lambda.runtime.handler.streaming');
const HIGH_WATER_MARK = Symbol.for('aws.lambda.runtime.handler.streaming.highWaterMark');
const require = createRequire(import.meta.url);

/**
 * Loads the handler `_HANDLER` names (`path/to/module.export[.nested]`) from `LAMBDA_TASK_ROOT`,
 * in the order and with the errors of Lambda's Node.js runtime: the module is the file name up to
 * the first dot, found as written, then with `.js`, `.mjs` or `.cjs`, then by Node's resolution;
 * the handler is the rest, followed through nested properties.
 */
export async function loadHandler(
  taskRoot: string,
  handlerString: string,
  generation: RuntimeGeneration,
): Promise<LoadedHandler> {
  if (handlerString.includes('..')) {
    throw runtimeError(
      'Runtime.MalformedHandlerName',
      `'${handlerString}' is not a valid handler name. Use absolute paths when specifying root directories in handler names.`,
      generation,
    );
  }
  const name = basename(handlerString);
  const moduleRoot = handlerString.slice(0, handlerString.indexOf(name)).replace(/\/$/, '');
  const match = /^([^.]*)\.(.*)$/.exec(name);
  if (match === null) throw runtimeError('Runtime.MalformedHandlerName', 'Bad handler', generation);
  const [, moduleName = '', handlerPath = ''] = match;
  const { loaded, file } = await loadModule(taskRoot, moduleRoot, moduleName, generation);
  let handler = follow(loaded, handlerPath, generation);
  // 4.x looks under a default export too (an ES module whose default export holds the handler).
  if (!handler && generation === 'current' && isObject(loaded) && 'default' in loaded) {
    handler = follow(loaded.default, handlerPath, generation);
  }
  if (typeof handler !== 'function') {
    // Not Lambda's (its answer follows, unchanged): a hint on stderr for the person at the terminal.
    const exported = isObject(loaded) ? Object.keys(loaded).filter((key) => typeof loaded[key] === 'function') : [];
    process.stderr.write(
      `lambdakit: note: ${relative(taskRoot, file)} exports these functions: ${exported.join(', ') || 'none'}\n`,
    );
  }
  if (!handler)
    throw runtimeError('Runtime.HandlerNotFound', `${handlerString} is undefined or not exported`, generation);
  if (typeof handler !== 'function')
    throw runtimeError('Runtime.HandlerNotFound', `${handlerString} is not a function`, generation);
  const marker = (handler as unknown as Record<symbol, unknown>)[STREAMING];
  if (marker && marker !== 'response') {
    // 3.x refers to an error class it never imported: the user sees that ReferenceError.
    if (generation === 'legacy') throw new ReferenceError('MalformedStreamingHandler is not defined');
    throw runtimeError('Runtime.MalformedStreamingHandler', 'Only response streaming is supported.', generation);
  }
  const declared = (handler as unknown as Record<symbol, unknown>)[HIGH_WATER_MARK];
  const mark = declared
    ? generation === 'current'
      ? Number(declared)
      : Number.parseInt(String(declared), 10)
    : Number.NaN;
  return {
    handler: handler as UserHandler,
    streaming: marker === 'response',
    highWaterMark: Number.isNaN(mark) ? undefined : mark,
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object';
}

function follow(root: unknown, path: string, generation: RuntimeGeneration): unknown {
  return path.split('.').reduce<unknown>((node, key) => {
    if (generation === 'current') return isObject(node) ? node[key] : undefined;
    return node ? (node as Record<string, unknown>)[key] : node;
  }, root);
}

async function loadModule(
  taskRoot: string,
  moduleRoot: string,
  moduleName: string,
  generation: RuntimeGeneration,
): Promise<{ loaded: unknown; file: string }> {
  const file = resolve(taskRoot, moduleRoot, moduleName);
  try {
    return generation === 'current'
      ? await importFirst(file, taskRoot, moduleRoot, moduleName)
      : await requireFirst(file, taskRoot, moduleRoot, moduleName);
  } catch (error) {
    if (error instanceof SyntaxError) {
      // 4.x keeps the original stack (the offending source line); 3.x reports from where it loaded.
      const stack = generation === 'current' ? error.stack : undefined;
      throw runtimeError('Runtime.UserCodeSyntaxError', String(error), generation, stack);
    }
    // 3.x reads `code` from whatever was thrown: a thrown null fails here with a TypeError.
    const code =
      generation === 'current'
        ? error instanceof Error
          ? (error as { code?: unknown }).code
          : undefined
        : (error as { code?: unknown }).code;
    if (code === 'MODULE_NOT_FOUND') throw runtimeError('Runtime.ImportModuleError', String(error), generation);
    throw error;
  }
}

type Loaded = { loaded: unknown; file: string };

/** 4.x: `import()` the first of `name`, `name.js`, `name.mjs`, `name.cjs` that exists, else `require` by Node's rules. */
async function importFirst(file: string, taskRoot: string, moduleRoot: string, moduleName: string): Promise<Loaded> {
  for (const extension of ['', '.js', '.mjs', '.cjs']) {
    const path = file + extension;
    if (existsSync(path)) return { loaded: await import(pathToFileURL(path).href), file: path };
  }
  const resolved = require.resolve(moduleName, { paths: [taskRoot, join(taskRoot, moduleRoot)] });
  return { loaded: require(resolved), file: resolved };
}

/**
 * 3.x: `require` the file as written, then `name.js` unless a package.json marks it an ES module,
 * then `import()` that `.js` or `name.mjs`, `require` `name.cjs`, and last Node's resolution.
 */
async function requireFirst(file: string, taskRoot: string, moduleRoot: string, moduleName: string): Promise<Loaded> {
  const requireIfThere = (path: string) => (existsSync(path) ? { loaded: require(path), file: path } : undefined);
  const importIfThere = async (path: string) =>
    existsSync(path) ? { loaded: await import(pathToFileURL(path).href), file: path } : undefined;
  // Each step counts only if it produced something truthy, as in 3.x.
  const found = (result: Loaded | undefined) => (result?.loaded ? result : undefined);
  const asWritten = found(requireIfThere(file));
  if (asWritten) return asWritten;
  const esm = existsSync(`${file}.js`) && packageTypeIsModule(dirname(`${file}.js`));
  if (!esm) {
    const js = found(requireIfThere(`${file}.js`));
    if (js) return js;
  }
  const loaded =
    (esm ? found(await importIfThere(`${file}.js`)) : undefined) ??
    found(await importIfThere(`${file}.mjs`)) ??
    found(requireIfThere(`${file}.cjs`));
  if (loaded) return loaded;
  const resolved = require.resolve(moduleName, { paths: [taskRoot, moduleRoot] });
  return { loaded: require(resolved), file: resolved };
}

/** Whether the nearest package.json above `folder` (not crossing node_modules) says `"type": "module"`. */
function packageTypeIsModule(folder: string): boolean {
  for (let dir = folder; ; dir = dirname(dir)) {
    if (dir.endsWith('/node_modules')) return false;
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        return (JSON.parse(readFileSync(manifest, 'utf8')) as { type?: unknown } | null)?.type === 'module';
      } catch {
        return false;
      }
    }
    if (dir === dirname(dir)) return false;
  }
}
