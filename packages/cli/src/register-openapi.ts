import type { Command } from 'commander';
import { openapiCommand } from './openapi-command.js';
import { collect } from './option-parsers.js';
import type { CliIo } from './run-cli.js';

/** Adds `lambdakit openapi <module>[#export]` to the program. */
export function registerOpenapi(program: Command, io: CliIo, setExitCode: (code: number) => void): void {
  program
    .command('openapi')
    .description('Print the OpenAPI 3.1 document of an @lambdakit/http app, written from its routes’ zod schemas')
    .argument('<module>', 'built module and export of the app, e.g. dist/handler.js#app (export "app" by default)')
    .option('--title <title>', 'the API’s title (info.title)', 'API')
    .option('--api-version <version>', 'the API’s version (info.version)', '1.0.0')
    .option('--description <text>', 'info.description')
    .option('--server <url>', 'a server URL (repeatable)', collect, [])
    .option('--out <file>', 'write the document to this file instead of stdout')
    .addHelpText(
      'after',
      `
Examples:
  $ lambdakit openapi dist/handler.js --title Orders --api-version 2.1.0 > openapi.json
  $ lambdakit openapi dist/api.js#ordersApp --server https://api.example.com --out openapi.json`,
    )
    .action(async (target: string, options) => {
      setExitCode(await openapiCommand(target, options, io.cwd, io.stdout));
    });
}
