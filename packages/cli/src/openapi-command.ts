import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CliError, EXIT_OK } from './cli-error.js';
import { resolveTarget } from './resolve-target.js';

/** Options of `lambdakit openapi`. */
export interface OpenapiCommandOptions {
  title: string;
  apiVersion: string;
  description?: string;
  server: string[];
  out?: string;
}

/** What the command needs of an `@lambdakit/http` app (read by shape: the CLI does not depend on the package). */
interface DocumentedApp {
  openapi(info: { title: string; version: string; description?: string; servers?: { url: string }[] }): unknown;
  routes: readonly unknown[];
}

const isApp = (value: unknown): value is DocumentedApp =>
  typeof value === 'function' &&
  typeof (value as Partial<DocumentedApp>).openapi === 'function' &&
  Array.isArray((value as Partial<DocumentedApp>).routes);

/**
 * `lambdakit openapi <module>[#export]`: imports the module (built JavaScript, as `invoke` runs),
 * takes its `@lambdakit/http` app (export `app` unless named) and prints its OpenAPI 3.1
 * document, or writes it to `--out`.
 */
export async function openapiCommand(
  target: string,
  options: OpenapiCommandOptions,
  cwd: string,
  stdout: NodeJS.WritableStream,
): Promise<number> {
  const named = target.includes('#');
  const { file, exportName } = await resolveTarget(named ? target : `${target}#app`, cwd);
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error) {
    throw new CliError('CLI_INVALID_HANDLER', `${target}: the module failed to load: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const app = module[exportName];
  if (!isApp(app)) {
    const apps = Object.keys(module).filter((name) => isApp(module[name]));
    const hint = apps.length === 0 ? 'it exports no http() app' : `its http() apps: ${apps.join(', ')}`;
    throw new CliError(
      'CLI_INVALID_HANDLER',
      `${target}: export "${exportName}" is not an @lambdakit/http app (${hint}); name one with <module>#<export>`,
    );
  }
  const info = {
    title: options.title,
    version: options.apiVersion,
    ...(options.description === undefined ? {} : { description: options.description }),
    ...(options.server.length === 0 ? {} : { servers: options.server.map((url) => ({ url })) }),
  };
  const text = `${JSON.stringify(app.openapi(info), null, 2)}\n`;
  if (options.out === undefined) stdout.write(text);
  else await writeFile(resolve(cwd, options.out), text);
  return EXIT_OK;
}
