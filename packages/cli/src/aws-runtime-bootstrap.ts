// Runs a function under AWS's own Node.js runtime interface client (npm `aws-lambda-ric`), as
// Lambda's bootstrap does: `lambdakit invoke --runtime-client aws`, and the reference runs of the
// conformance suite. Usage (internal): node aws-runtime-bootstrap.js <aws-lambda-ric folder>.
// 4.x starts itself when imported; 3.x exports `run(taskRoot, handler)`.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const dir = process.argv[2];
if (dir === undefined) {
  process.stderr.write('lambdakit: aws-runtime-bootstrap needs the aws-lambda-ric folder\n');
  process.exit(2);
}
const { version, main } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
  version: string;
  main: string;
};
const entry = pathToFileURL(join(dir, main)).href;
if (Number(version.split('.')[0]) >= 4) {
  await import(entry);
} else {
  const { run } = (await import(entry)) as { run(taskRoot: string, handler: string): Promise<void> };
  await run(process.env.LAMBDA_TASK_ROOT ?? process.cwd(), process.env._HANDLER ?? '');
}
