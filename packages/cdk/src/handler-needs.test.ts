import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { detectNeeds, NEED_RULES } from './index.js';

describe('the needs a bundle declares', () => {
  // A rule names a module of another package: this fails when that module is renamed or the door moves.
  it.each(NEED_RULES)('$need: @lambdakit/$pkg defines its door in module $file', (rule) => {
    const source = readFileSync(
      fileURLToPath(new URL(`../../${rule.pkg}/src/${rule.file}.ts`, import.meta.url)),
      'utf8',
    );
    const doors = rule.door.match(/\w+(?=\(\))/g) ?? [];
    expect(doors.length).toBeGreaterThan(0);
    expect(doors.some((door) => new RegExp(`export function ${door}[<(]`).test(source))).toBe(true);
    // And the built module an installed package has, which is what a bundle holds.
    expect(existsSync(fileURLToPath(new URL(`../../${rule.pkg}/dist/${rule.file}.js`, import.meta.url)))).toBe(true);
  });

  it('reads installed packages, this repository’s, and Windows paths, and nothing that only looks alike', () => {
    const needs = detectNeeds([
      '/app/node_modules/@lambdakit/idempotency/dist/dynamo-db-store.js',
      '/repo/packages/config/src/ssm-source.ts',
      'C:\\app\\node_modules\\@lambdakit\\batch\\dist\\batch.js',
      '/app/node_modules/@lambdakit/idempotency/dist/memory-store.js',
      '/app/node_modules/@other/idempotency/dist/dynamo-db-store.js',
      '/app/node_modules/@lambdakit/config/dist/secrets.js.map',
      '/app/src/secrets.ts',
    ]);
    expect([...needs.keys()].sort()).toEqual(['batchResponses', 'configParameters', 'idempotencyTable']);
  });
});
