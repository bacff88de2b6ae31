import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const packagesDir = new URL('../packages/', import.meta.url);
const packages = readdirSync(packagesDir).filter((dir) => dir !== 'cli');

// A snapshot of every package's public export list: adding or removing an export is a visible
// decision in review, never an accident.
describe('public exports', () => {
  it.each(packages)('of @lambdakit/%s match the snapshot', async (dir) => {
    const { name } = JSON.parse(readFileSync(new URL(`${dir}/package.json`, packagesDir), 'utf8')) as { name: string };
    const module = (await import(name)) as Record<string, unknown>;
    const exports = Object.keys(module)
      .sort()
      .map((key) => `${key}: ${typeof module[key]}`);
    expect(exports).toMatchSnapshot();
  });
});
