// The packages as npm would publish them (`npm pack`) install in an empty app beside the app's
// own zod and AWS SDK clients with one copy of each (schemas from one copy of zod fail the other's
// `instanceof`; two SDK versions double a bundle), and @lambdakit/parser alone brings no
// @aws-sdk/client-*. Installs from the npm cache the repository's own install filled.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = fileURLToPath(new URL('..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'lambdakit-packed-'));
const tarballs = new Map<string, string>();

/** The version of a package installed in the repository: what the app asks for, so npm finds it in the cache. */
const installed = (name: string) =>
  (JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;

const npm = (args: string[], cwd: string) =>
  run('npm', [...args, '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], {
    cwd,
    maxBuffer: 64 * 1024 * 1024,
  });

/** Every path at which `name` is installed under the app, with its version. */
function copiesOf(app: string, name: string): string[] {
  const found: string[] = [];
  const visit = (dir: string) => {
    const modules = join(dir, 'node_modules');
    let entries: string[];
    try {
      entries = readdirSync(modules);
    } catch {
      return;
    }
    for (const entry of entries) {
      const scoped = entry.startsWith('@')
        ? readdirSync(join(modules, entry)).map((sub) => `${entry}/${sub}`)
        : [entry];
      for (const pkg of scoped) {
        const path = join(modules, pkg);
        if (pkg === name) {
          const { version } = JSON.parse(readFileSync(join(path, 'package.json'), 'utf8')) as { version: string };
          found.push(`${path.slice(app.length + 1)}@${version}`);
        }
        visit(path);
      }
    }
  };
  visit(app);
  return found;
}

function app(name: string, dependencies: Record<string, string>): string {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: `packed-${name}`, private: true, type: 'module', dependencies }, null, 2),
  );
  return dir;
}

beforeAll(async () => {
  const packs = join(work, 'packs');
  mkdirSync(packs);
  for (const dir of readdirSync(join(root, 'packages'))) {
    const { stdout } = await npm(['pack', '--json', '--pack-destination', packs], join(root, 'packages', dir));
    const [packed] = JSON.parse(stdout) as Array<{ name: string; filename: string }>;
    tarballs.set(packed!.name, `file:${join(packs, packed!.filename)}`);
  }
}, 120_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

const lambdakitPackages = (...names: string[]) => Object.fromEntries(names.map((name) => [name, tarballs.get(name)!]));

describe('packed packages in an app of their own', () => {
  it('share one zod and one copy of each AWS SDK client with the app', { timeout: 240_000 }, async () => {
    const dir = app('everything', {
      ...Object.fromEntries(tarballs),
      zod: installed('zod'),
      '@aws-sdk/client-ssm': installed('@aws-sdk/client-ssm'),
      '@aws-sdk/client-dynamodb': installed('@aws-sdk/client-dynamodb'),
      '@aws-sdk/util-dynamodb': installed('@aws-sdk/util-dynamodb'),
    });
    await npm(['install'], dir);
    expect(copiesOf(dir, 'zod')).toEqual([`node_modules/zod@${installed('zod')}`]);
    for (const client of ['@aws-sdk/client-ssm', '@aws-sdk/client-dynamodb']) {
      expect(copiesOf(dir, client)).toEqual([`node_modules/${client}@${installed(client)}`]);
    }
    // npm's own view agrees: one zod, deduped everywhere else.
    const { stdout } = await run('npm', ['ls', 'zod', '--all', '--parseable'], { cwd: dir });
    expect(new Set(stdout.trim().split('\n'))).toEqual(new Set([join(dir, 'node_modules', 'zod')]));
    // And every package loads from its published entry.
    const names = [...tarballs.keys()].filter((name) => name !== 'lambdakit');
    await run(
      process.execPath,
      ['-e', `await Promise.all(${JSON.stringify(names)}.map((name) => import(name)))`, '--input-type=module'],
      {
        cwd: dir,
      },
    );
    // @lambdakit/testing finds its sample-event catalogue (events/*.json) inside the installed package.
    const { stdout: samples } = await run(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        [
          "import { eventSources, sampleEvent } from '@lambdakit/testing';",
          'for (const source of eventSources) sampleEvent(source, { records: 2 });',
          "console.log(sampleEvent('sqs', { records: 2 }).Records.length);",
        ].join('\n'),
      ],
      { cwd: dir },
    );
    expect(samples.trim()).toBe('2');
  });

  it('@lambdakit/parser alone installs no @aws-sdk/client-*', { timeout: 240_000 }, async () => {
    const dir = app('parser-only', {
      ...lambdakitPackages('@lambdakit/parser', '@lambdakit/core'),
      zod: installed('zod'),
    });
    await npm(['install'], dir);
    const sdk = readdirSync(join(dir, 'node_modules')).includes('@aws-sdk')
      ? readdirSync(join(dir, 'node_modules', '@aws-sdk'))
      : [];
    expect(sdk.filter((name) => name.startsWith('client-'))).toEqual([]);
    expect(copiesOf(dir, 'zod')).toHaveLength(1);
    // It parses SQS without the DynamoDB utilities, and says what dynamodbStream() needs.
    const { stdout } = await run(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        [
          "import { sqs, dynamodbStream } from '@lambdakit/parser';",
          "import * as z from 'zod';",
          'sqs(z.object({ id: z.string() }));',
          'try { dynamodbStream(z.object({})); } catch (error) { console.log(error.message); }',
        ].join('\n'),
      ],
      { cwd: dir },
    );
    expect(stdout).toContain('needs @aws-sdk/util-dynamodb, an optional peer of @lambdakit/parser');
  });
});
