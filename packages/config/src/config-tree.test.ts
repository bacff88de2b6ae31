import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildTree,
  type ConfigEntry,
  isKeySegment,
  parameterPath,
  type RawParameter,
  splitLayers,
} from './config-tree.js';

const BASE = '/lambdakit/orders';
const segment = fc.stringMatching(/^[A-Za-z0-9_.-]{1,12}$/).filter(isKeySegment);
const keyPath = fc.array(segment, { minLength: 1, maxLength: 5 });

/** Distinct paths where none is a prefix of another: a valid set of leaves. */
const leafPaths = fc
  .uniqueArray(keyPath, { maxLength: 20, selector: (p) => p.join('/') })
  .map((paths) => paths.filter((p, i) => !paths.some((q, j) => i !== j && isPrefix(q, p))));

function isPrefix(a: readonly string[], b: readonly string[]): boolean {
  return a.length <= b.length && a.every((s, i) => s === b[i]);
}

function at(tree: unknown, path: readonly string[]): unknown {
  return path.reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], tree);
}

function entry(path: string[], value: string, source: ConfigEntry['source'] = 'base'): ConfigEntry {
  return { path, value, origin: `${BASE}/${path.join('/')}`, source };
}

describe('parameter names to keys', () => {
  it('maps every name below the base path to its segments, and back', () => {
    fc.assert(
      fc.property(keyPath, (path) => {
        expect(parameterPath(`${BASE}/${path.join('/')}`, BASE)).toEqual(path);
      }),
    );
  });

  it('refuses names outside the base path, including look-alike siblings', () => {
    expect(parameterPath('/lambdakit/orders-v2/db', BASE)).toBeUndefined();
    expect(parameterPath('/lambdakit/order', BASE)).toBeUndefined();
    expect(parameterPath(BASE, BASE)).toBeUndefined();
  });

  it('refuses names whose segments cannot be keys: empty, __proto__ or outside SSM’s characters', () => {
    for (const bad of ['//x', '/__proto__', '/db/__proto__/x', '/a b', '/ü', '/x/']) {
      expect(parameterPath(`${BASE}${bad}`, BASE)).toBeUndefined();
    }
    fc.assert(
      fc.property(fc.string(), (s) => {
        const path = parameterPath(`${BASE}/${s}`, BASE);
        if (path !== undefined) expect(path.every(isKeySegment)).toBe(true);
      }),
    );
  });

  it('builds a nested object where every leaf sits at its path (db/host → { db: { host } })', () => {
    fc.assert(
      fc.property(leafPaths, (paths) => {
        const entries = paths.map((p, i) => entry(p, `v${i}`));
        const { tree, origins, conflicts } = buildTree([entries]);
        expect(conflicts).toEqual([]);
        paths.forEach((p, i) => {
          expect(at(tree, p)).toBe(`v${i}`);
          expect(origins.get(p.join('/'))?.origin).toBe(`${BASE}/${p.join('/')}`);
        });
        expect(origins.size).toBe(paths.length);
      }),
    );
  });

  it('keeps keys such as constructor and toString as plain data', () => {
    const { tree } = buildTree([[entry(['constructor'], 'a'), entry(['toString', 'x'], 'b')]]);
    expect(tree.constructor).toBe('a');
    expect(tree.toString).toEqual({ x: 'b' });
  });

  it('reports a name that is both a value and a parent within one layer', () => {
    const { conflicts } = buildTree([[entry(['db', 'host'], 'h'), entry(['db-x'], 'x'), entry(['db'], 'd')]]);
    expect(conflicts.map(([a, b]) => [a.origin, b.origin])).toEqual([[`${BASE}/db`, `${BASE}/db/host`]]);
  });

  it('lets a later layer win at the paths it sets: a value replaces a subtree and a subtree a value', () => {
    const base = [entry(['db', 'host'], 'h'), entry(['db', 'port'], '1'), entry(['mode'], 'm')];
    const override = [entry(['db', 'host'], 'H', 'override'), entry(['mode', 'x'], 'mx', 'override')];
    const env = [entry(['db'], 'whole', 'env')];
    expect(buildTree([base, override]).tree).toEqual({ db: { host: 'H', port: '1' }, mode: { x: 'mx' } });
    const { tree, origins, conflicts } = buildTree([base, override, env]);
    expect(conflicts).toEqual([]);
    expect(tree).toEqual({ db: 'whole', mode: { x: 'mx' } });
    expect([...origins.keys()].sort()).toEqual(['db', 'mode/x']);
  });

  it('layers so that the last layer holding a path decides its value (property)', () => {
    fc.assert(
      fc.property(leafPaths, leafPaths, (a, b) => {
        const compatible = a.filter(
          (p) => !b.some((q) => isPrefix(q, p) || isPrefix(p, q)) || b.some((q) => q.join('/') === p.join('/')),
        );
        const { tree } = buildTree([compatible.map((p) => entry(p, 'A')), b.map((p) => entry(p, 'B', 'override'))]);
        for (const p of b) expect(at(tree, p)).toBe('B');
        for (const p of compatible) {
          if (!b.some((q) => q.join('/') === p.join('/'))) expect(at(tree, p)).toBe('A');
        }
      }),
    );
  });
});

describe('splitLayers', () => {
  const keys = new Set(['db', 'flags']);
  const param = (name: string, value = 'v', type = 'String'): RawParameter => ({
    name: `${BASE}/${name}`,
    type,
    value,
  });

  it('puts schema keys in the base and this qualifier’s subtree in the overrides, skipping other qualifiers', () => {
    const layers = splitLayers(
      [
        param('db/host'),
        param('flags', 'a,b', 'StringList'),
        param('prod/db/host', 'P'),
        param('staging/db/host', 'S'),
        param('7/db/host'),
      ],
      BASE,
      'prod',
      keys,
    );
    expect(layers.base.map((e) => [e.path, e.value])).toEqual([
      [['db', 'host'], 'v'],
      [['flags'], ['a', 'b']],
    ]);
    expect(layers.override.map((e) => [e.path, e.value, e.origin])).toEqual([
      [['db', 'host'], 'P', `${BASE}/prod/db/host`],
    ]);
  });

  it('never lets one qualifier’s overrides reach another qualifier or the base (property)', () => {
    const qualifier = fc.oneof(
      fc.constantFrom('latest', 'prod', 'staging'),
      fc.integer({ min: 1, max: 99 }).map(String),
    );
    fc.assert(
      fc.property(qualifier, qualifier, fc.array(keyPath, { maxLength: 10 }), (mine, other, paths) => {
        fc.pre(mine !== other);
        const parameters = paths.map((p) => param(`${other}/${p.join('/')}`, 'OTHER'));
        const layers = splitLayers(parameters, BASE, mine, keys);
        expect(layers.override).toEqual([]);
        expect(layers.base).toEqual([]);
      }),
    );
  });

  it('reports names that cannot be keys as ignored, without using them', () => {
    const layers = splitLayers([param('__proto__/polluted'), param('db/host')], BASE, 'prod', keys);
    expect(layers.ignored).toEqual([`${BASE}/__proto__/polluted`]);
    expect(layers.base).toHaveLength(1);
  });
});
