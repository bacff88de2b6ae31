import type { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { describe, expectTypeOf, it } from 'vitest';
import type {
  ConfigTree,
  FunctionConfigProps,
  HandlerNeed,
  IdempotencyTableProps,
  LambdakitFunction,
  LambdakitFunctionProps,
  LocalRun,
  resolveLocalRun,
} from './index.js';

describe('@lambdakit/cdk types', () => {
  it('takes Lambda’s current Node.js runtimes and lambdakit’s log levels only', () => {
    expectTypeOf<LambdakitFunctionProps['runtime']>().toEqualTypeOf<'nodejs22.x' | 'nodejs24.x' | undefined>();
    expectTypeOf<'verbose'>().not.toExtend<NonNullable<LambdakitFunctionProps['logLevel']>>();
    expectTypeOf<LambdakitFunctionProps['entry']>().toEqualTypeOf<string>();
    // The props lambdakit sets are not a function's options here.
    expectTypeOf<LambdakitFunctionProps>().not.toHaveProperty('loggingFormat');
    expectTypeOf<LambdakitFunctionProps>().not.toHaveProperty('applicationLogLevelV2');
  });

  it('takes any table for the stores, and gives the function’s known name, timeout and needs', () => {
    expectTypeOf<LambdakitFunctionProps['idempotencyTable']>().toEqualTypeOf<ITable | undefined>();
    expectTypeOf<LambdakitFunction['physicalFunctionName']>().toEqualTypeOf<string>();
    expectTypeOf<LambdakitFunction['timeout']>().toEqualTypeOf<Duration>();
    expectTypeOf<LambdakitFunction['needs']>().toEqualTypeOf<ReadonlySet<HandlerNeed>>();
  });

  it('types a config tree as SSM can hold it: text, numbers, booleans, lists of text, branches', () => {
    expectTypeOf({ a: 'x', b: 1, c: true, d: ['x'], e: { f: 'y' } }).toExtend<ConfigTree>();
    expectTypeOf({ a: [1, 2] }).not.toExtend<ConfigTree>();
    expectTypeOf({ a: null }).not.toExtend<ConfigTree>();
    expectTypeOf<FunctionConfigProps['functionName']>().toEqualTypeOf<string>();
    // The config given to a function is FunctionConfig's, less the name, which the function knows.
    expectTypeOf<NonNullable<LambdakitFunctionProps['config']>>().not.toHaveProperty('functionName');
  });

  it('fixes the idempotency table’s key and TTL', () => {
    expectTypeOf<IdempotencyTableProps>().not.toHaveProperty('partitionKey');
    expectTypeOf<IdempotencyTableProps>().not.toHaveProperty('timeToLiveAttribute');
  });

  it('reads a function back from an assembly', () => {
    expectTypeOf<typeof resolveLocalRun>().parameters.toEqualTypeOf<[CloudAssembly, LambdakitFunction]>();
    expectTypeOf<LocalRun['invokeArgs']>().returns.toEqualTypeOf<string[]>();
    expectTypeOf<LocalRun['parameters']>().toEqualTypeOf<Record<string, string | string[]>>();
  });
});
