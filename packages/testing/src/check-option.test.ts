import { describe, expect, it } from 'vitest';
import { createContext } from './create-context.js';
import { invoke } from './invoke.js';
import { startLocalAws } from './local-aws.js';
import { startLocalDynamo } from './local-dynamo.js';
import { startLocalSsm } from './local-ssm.js';

// Every door of this package refuses a bad option when it is called, with a TypeError naming the
// door and the option; a server is never started with one.
describe('a bad option', () => {
  it.each([
    ['createContext(options): expected an object, got null', () => createContext(null as never)],
    ['createContext({ timeoutMs }): expected a positive number, got 0', () => createContext({ timeoutMs: 0 })],
    ['createContext({ memoryMb }): expected a positive integer, got 1.5', () => createContext({ memoryMb: 1.5 })],
    ['createContext({ now }): expected a function, got 5', () => createContext({ now: 5 as never })],
    ['createContext({ functionName }): expected a non-empty string, got ""', () => createContext({ functionName: '' })],
    [
      'createContext({ accountId }): expected a 12-digit account id, got "42"',
      () => createContext({ accountId: '42' }),
    ],
  ])('%s', (message, call) => {
    expect(call).toThrow(new TypeError(message));
  });

  it.each([
    ['invoke(handler): expected a function, got string', () => invoke('handler' as never, {})],
    ['invoke({ timeoutMs }): expected a positive number, got -1', () => invoke(() => 1, {}, { timeoutMs: -1 })],
    [
      'invoke({ context }): expected a Lambda context, with getRemainingTimeInMillis()',
      () => invoke(() => 1, {}, { context: {} as never }),
    ],
    ['startLocalSsm({ port }): expected an integer from 0 to 65535, got 70000', () => startLocalSsm({ port: 70000 })],
    ['startLocalSsm({ region }): expected a non-empty string, got ""', () => startLocalSsm({ region: '' })],
    [
      'startLocalSsm({ parameters }): expected an object, got an array',
      () => startLocalSsm({ parameters: ['/a'] as never }),
    ],
    [
      'startLocalSsm({ parameters }): parameter "/a": unknown parameter type "Blob"',
      () => startLocalSsm({ parameters: { '/a': { type: 'Blob' as never, value: 'x' } } }),
    ],
    [
      'startLocalSsm({ parameters }): Parameter name: can\'t be prefixed with "aws" or "ssm" (case-insensitive).',
      () => startLocalSsm({ parameters: { '/aws/x': 'v' } }),
    ],
    ['startLocalDynamo({ port }): expected an integer from 0 to 65535, got -1', () => startLocalDynamo({ port: -1 })],
    [
      'startLocalDynamo({ tables }): expected an array of { tableName, items?: [DynamoDB JSON item, …], … }, got an object',
      () => startLocalDynamo({ tables: [{ tableName: '' }] }),
    ],
    ['startLocalAws({ region }): expected a non-empty string, got 7', () => startLocalAws({ region: 7 as never })],
    [
      "startLocalAws({ parameters }): 1 validation error detected: Value '' at 'value' failed to satisfy constraint: Member must have length greater than or equal to 1",
      () => startLocalAws({ parameters: { '/a': '' } }),
    ],
    ['startLocalAws({ tables }): expected an array, got an object', () => startLocalAws({ tables: {} as never })],
  ])('%s', async (message, call) => {
    await expect(call()).rejects.toThrow(expect.objectContaining({ name: 'TypeError', message }));
  });

  it('given to a running local SSM server: put(), throttle(), fail(), setLatency()', async () => {
    const ssm = await startLocalSsm();
    try {
      expect(() => ssm.put('no spaces allowed', 'v')).toThrow(TypeError);
      expect(() => ssm.put('/a', { value: 5 as never })).toThrow(
        new TypeError(
          'LocalSsm.put(name, input): parameter "/a": expected a string, an array of strings or { type, value }, got 5',
        ),
      );
      expect(() => ssm.fail(1, 200)).toThrow(
        new TypeError('LocalSsm.fail(count, status): expected an HTTP error status from 400 to 599, got 200'),
      );
      expect(() => ssm.throttle(-1)).toThrow(
        new TypeError('LocalSsm.throttle(count): expected a non-negative number, got -1'),
      );
      expect(() => ssm.setLatency(Number.NaN)).toThrow(
        new TypeError('LocalSsm.setLatency(ms): expected a non-negative number, got NaN'),
      );
      expect(ssm.count()).toBe(0);
    } finally {
      await ssm.close();
    }
  });
});
