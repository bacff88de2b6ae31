// The subpath entry points (`@lambdakit/parser/sqs`, `/parse`, …) against the root entry: the
// same names, the same objects, and each loading only its own source's modules.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as root from './index.js';

const srcDir = new URL('./', import.meta.url);
const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { exports: object };
const entryDir = new URL('./entry/', import.meta.url);
const allEntryNames = readdirSync(entryDir)
  .filter((file) => file.endsWith('.ts'))
  .map((file) => file.slice(0, -'.ts'.length))
  .sort();
// Add-on entries: what needs an optional peer dependency (@aws-sdk/client-s3), kept out of the
// root entry so that importing the parser never requires it.
const ADDONS = ['large-payloads'];
const entryNames = allEntryNames.filter((name) => !ADDONS.includes(name));

/** The names a module re-exports (`type X` kept apart from values), read from its source. */
function exportedNames(file: URL): string[] {
  const text = readFileSync(file, 'utf8');
  const names: string[] = [];
  for (const [, typeOnly, list] of text.matchAll(/export\s+(type\s+)?\{([^}]*)\}\s*from/g)) {
    for (const raw of (list ?? '').split(',')) {
      const name = raw.trim().replace(/\s+/g, ' ');
      if (name !== '') names.push(typeOnly && !name.startsWith('type ') ? `type ${name}` : name);
    }
  }
  return names;
}

/** The relative imports of one source file, resolved to file URLs. */
function relativeImports(file: URL): URL[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/from '(\.{1,2}\/[^']+)\.js'/g)].map(([, path]) => new URL(`${path}.ts`, file));
}

/** Every module of this package that importing `file` evaluates (type-only imports skipped). */
function moduleClosure(file: URL): Set<string> {
  const seen = new Set<string>();
  const visit = (url: URL) => {
    const name = url.pathname.slice(srcDir.pathname.length);
    if (seen.has(name)) return;
    seen.add(name);
    const text = readFileSync(url, 'utf8');
    const valueImports = [...text.matchAll(/^(import|export)\s+(?!type\s)[^;]*?from '(\.{1,2}\/[^']+)\.js'/gms)];
    for (const [, , path] of valueImports) visit(new URL(`${path}.ts`, url));
  };
  visit(file);
  return seen;
}

describe('subpath entry points', () => {
  it('together export exactly what the root entry exports, values and types, each name once', () => {
    const fromEntries = entryNames.flatMap((name) => exportedNames(new URL(`${name}.ts`, entryDir)));
    const fromRoot = exportedNames(new URL('index.ts', srcDir));
    expect([...fromEntries].sort()).toEqual([...fromRoot].sort());
  });

  it('export the very objects the root entry does', async () => {
    const seen = new Set<string>();
    for (const name of entryNames) {
      const entry: Record<string, unknown> = await import(/* @vite-ignore */ new URL(`${name}.ts`, entryDir).href);
      for (const [key, value] of Object.entries(entry)) {
        expect(seen.has(key), `${key} exported by two entries`).toBe(false);
        seen.add(key);
        expect(value, `${name}: ${key}`).toBe((root as Record<string, unknown>)[key]);
      }
    }
    expect([...seen].sort()).toEqual(Object.keys(root).sort());
  });

  it('add-on entries export nothing the root does, and the root loads none of their modules', async () => {
    const rootClosure = moduleClosure(new URL('index.ts', srcDir));
    for (const name of ADDONS) {
      const entry: Record<string, unknown> = await import(/* @vite-ignore */ new URL(`${name}.ts`, entryDir).href);
      expect(
        Object.keys(entry).filter((key) => key in root),
        name,
      ).toEqual([]);
      const own = [...moduleClosure(new URL(`${name}.ts`, entryDir))].filter((file) => !rootClosure.has(file));
      expect(own.length, name).toBeGreaterThan(1);
      for (const file of own) {
        if (file.startsWith('entry/')) continue;
        expect(rootClosure.has(file), file).toBe(false);
      }
    }
    expect(rootClosure.has('s3-payloads.ts')).toBe(false);
    expect(rootClosure.has('offload-large-payloads.ts')).toBe(false);
  });

  it('are each in the package exports map, pointing at their built files', () => {
    const exportsMap = manifest.exports as Record<string, unknown>;
    for (const name of allEntryNames) {
      expect(exportsMap[`./${name}`], name).toEqual({
        types: `./dist/entry/${name}.d.ts`,
        default: `./dist/entry/${name}.js`,
      });
    }
    const subpaths = Object.keys(exportsMap).filter((key) => key !== '.' && key !== './package.json');
    expect(subpaths.sort()).toEqual(allEntryNames.map((name) => `./${name}`));
  });

  it("load no other source's schemas: a source's entry evaluates its own modules and the shared ones", () => {
    const sources = entryNames.filter((name) => name !== 'parse' && name !== 'events');
    const shared = moduleClosure(new URL('parse.ts', entryDir));
    // The shared modules are the parsing machinery: no source file among them.
    for (const source of sources) expect(shared.has(`${source}.ts`), source).toBe(false);
    // A source builds on another only where its event does: an SNS notification inside an SQS body,
    // a function URL's event shaped as an HTTP API's, a REST API's client certificate as an HTTP API's.
    const uses: Record<string, string[]> = {
      'sns-in-sqs': ['sns', 'sqs'],
      'lambda-url': ['apigw-http'],
      'apigw-rest': ['apigw-http'],
    };
    for (const source of sources) {
      const loaded = moduleClosure(new URL(`${source}.ts`, entryDir));
      const others = sources.filter((other) => other !== source && loaded.has(`${other}.ts`));
      expect(others, source).toEqual(uses[source] ?? []);
    }
  });

  it('the closure reader follows value imports through files (checked on known files)', () => {
    expect(relativeImports(new URL('events.ts', srcDir)).length).toBeGreaterThan(10);
    const events = moduleClosure(new URL('events.ts', srcDir));
    for (const file of ['sqs.ts', 'alb.ts', 'kafka.ts', 'http-event.ts', 'decode.ts'])
      expect(events.has(file), file).toBe(true);
    expect(moduleClosure(new URL('parse.ts', entryDir)).has('decode.ts')).toBe(true);
  });
});
