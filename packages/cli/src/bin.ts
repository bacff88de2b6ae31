import { runCli } from './run-cli.js';

const code = await runCli(process.argv);
// Exit once stdout is flushed: a local server or a function's stray handle must not keep the CLI alive.
process.stdout.write('', () => process.exit(code));
