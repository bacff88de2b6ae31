// Runs publint and @arethetypeswrong/cli on every publishable workspace package.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const bin = (name) => join(root, 'node_modules', '.bin', name);
let failed = 0;
for (const dir of readdirSync(join(root, 'packages'))) {
  const cwd = join(root, 'packages', dir);
  const { name, private: isPrivate } = JSON.parse(readFileSync(join(cwd, 'package.json'), 'utf8'));
  if (isPrivate) continue;
  for (const [tool, args] of [
    ['publint', ['--strict']],
    // ESM-only packages: CommonJS `require` of them is not a supported entry (Node >= 20.19 can
    // require(esm), but attw models older resolvers), so check the ESM-relevant profile.
    ['attw', ['--pack', '.', '--profile', 'esm-only']],
  ]) {
    try {
      execFileSync(bin(tool), args, { cwd, stdio: 'pipe', encoding: 'utf8' });
      console.log(`ok   ${tool} ${name}`);
    } catch (error) {
      failed++;
      console.log(`FAIL ${tool} ${name}\n${error.stdout ?? ''}${error.stderr ?? ''}`);
    }
  }
}
process.exit(failed ? 1 : 0);
