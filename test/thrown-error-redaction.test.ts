// What Lambda's runtime prints of a thrown error (its `Invoke Error` line: every own field of the
// error, in full) holds no secret when logger() is in the chain: checked through lambdakit invoke.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

it("keeps the token of a thrown HTTP client error out of the runtime's Invoke Error line", {
  timeout: 60_000,
}, async () => {
  const run = await promisify(execFile)(
    process.execPath,
    [`${root}packages/cli/dist/bin.js`, 'invoke', 'test/fixtures/throws-secret.mjs'],
    { cwd: root },
  ).catch((error: { stdout: string; stderr: string }) => error);
  expect(JSON.parse(run.stdout)).toMatchObject({
    errorType: 'AxiosError',
    errorMessage: 'Request failed with status code 403',
  });
  const invokeError = run.stderr.split('\n').find((line) => line.includes('\tInvoke Error '));
  expect(invokeError).toContain('"code":"ERR_BAD_REQUEST"');
  expect(invokeError).toContain('"Authorization":"[REDACTED]"');
  expect(run.stderr).not.toContain('tok-9f8e7d6c5b');
});
