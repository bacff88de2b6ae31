import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isKeySegment } from './config-tree.js';
import { CONFIG_ENV_PREFIX, envKeyPath, envSettings, envVariableName } from './env-overrides.js';

describe('environment overrides', () => {
  it('names a key path LAMBDAKIT_CONFIG__a__b and reads it back', () => {
    const segment = fc.stringMatching(/^[A-Za-z0-9.-]{1,10}(_[A-Za-z0-9.-]{1,5})?$/).filter(isKeySegment);
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 4 }), (path) => {
        expect(envKeyPath(envVariableName(path))).toEqual(path);
      }),
    );
    expect(envVariableName(['db', 'host'])).toBe('LAMBDAKIT_CONFIG__db__host');
  });

  it('never yields an unusable key path from any variable name', () => {
    fc.assert(
      fc.property(fc.string(), (rest) => {
        const path = envKeyPath(`${CONFIG_ENV_PREFIX}${rest}`);
        if (path !== undefined) expect(path.every(isKeySegment)).toBe(true);
      }),
    );
    expect(envKeyPath('LAMBDAKIT_CONFIG__db____host')).toBeUndefined();
    expect(envKeyPath('LAMBDAKIT_CONFIG__')).toBeUndefined();
    expect(envKeyPath('LAMBDAKIT_CONFIG____proto__')).toBeUndefined();
    expect(envKeyPath('OTHER__db')).toBeUndefined();
  });

  it('collects overrides and ignored names once per environment object', () => {
    const env = { LAMBDAKIT_CONFIG__db__host: 'h', 'LAMBDAKIT_CONFIG__bad name': 'x', PATH: '/bin' };
    const settings = envSettings(env);
    expect(settings.overrides).toEqual([
      { path: ['db', 'host'], value: 'h', origin: 'LAMBDAKIT_CONFIG__db__host', source: 'env' },
    ]);
    expect(settings.ignored).toEqual(['LAMBDAKIT_CONFIG__bad name']);
    expect(settings.source).toBeUndefined();
    expect(envSettings(env)).toBe(settings);
  });

  it('reads LAMBDAKIT_CONFIG_SOURCE and refuses values other than ssm and env', () => {
    expect(envSettings({ LAMBDAKIT_CONFIG_SOURCE: 'env' }).source).toBe('env');
    expect(envSettings({ LAMBDAKIT_CONFIG_SOURCE: 'ssm' }).source).toBe('ssm');
    expect(() => envSettings({ LAMBDAKIT_CONFIG_SOURCE: 'none' })).toThrow(/must be "ssm" or "env"/);
  });
});
