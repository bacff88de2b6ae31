import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lambdakit, SPAWN_TIMEOUT_MS } from '../test/spawn-cli.js';

const fixture = 'test/fixtures/http-app.mjs';

describe('lambdakit openapi', { timeout: SPAWN_TIMEOUT_MS }, () => {
  it('prints the app’s OpenAPI 3.1 document with the info and servers given', async () => {
    const run = await lambdakit([
      'openapi',
      fixture,
      '--title',
      'Orders',
      '--api-version',
      '2.0.0',
      '--server',
      'https://api.example.com',
    ]);
    expect(run.code, run.stderr).toBe(0);
    const document = JSON.parse(run.stdout);
    expect(document).toMatchObject({
      openapi: '3.1.0',
      info: { title: 'Orders', version: '2.0.0' },
      servers: [{ url: 'https://api.example.com' }],
    });
    expect(Object.keys(document.paths)).toEqual(['/orders/{id}', '/orders']);
    expect(document.paths['/orders'].post.responses['201'].content['application/json'].schema.required).toEqual([
      'id',
      'sku',
    ]);
  });

  it('takes a named export and writes --out', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'lambdakit-openapi-')), 'api.json');
    const run = await lambdakit(['openapi', `${fixture}#other`, '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe('');
    expect(Object.keys(JSON.parse(readFileSync(out, 'utf8')).paths)).toEqual(['/health']);
  });

  it('names the apps a module has when the export is not one, exit code 2', async () => {
    const run = await lambdakit(['openapi', `${fixture}#handler`]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('export "handler" is not an @lambdakit/http app (its http() apps: app, other)');
    const missing = await lambdakit(['openapi', 'test/fixtures/nope.mjs']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('module not found');
  });
});
