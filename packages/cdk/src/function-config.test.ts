import { Token } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { testStack } from '../test/test-stack.js';
import { flattenTree } from './config-tree.js';
import { type ConfigTree, FunctionConfig, type FunctionConfigProps } from './index.js';

const stack = () => testStack();
const make = (props: Partial<FunctionConfigProps>) =>
  new FunctionConfig(stack(), 'Config', { functionName: 'orders', ...props });

describe('FunctionConfig', () => {
  it('writes each leaf as config reads it: nested keys as paths, a list as a StringList, numbers and booleans as text', () => {
    const s = stack();
    new FunctionConfig(s, 'Config', {
      functionName: 'orders',
      prefix: '/apps',
      values: {
        db: { host: 'db.internal', port: 5432 },
        origins: ['https://a.example', 'https://b.example'],
        live: false,
      },
      qualifiers: { prod: { db: { host: 'db-prod.internal' } }, '7': { live: true } },
    });
    const parameters = Object.values(Template.fromStack(s).findResources('AWS::SSM::Parameter')).map((p) => [
      p.Properties.Name,
      p.Properties.Type,
      p.Properties.Value,
    ]);
    expect(parameters.sort()).toEqual([
      ['/apps/orders/7/live', 'String', 'true'],
      ['/apps/orders/db/host', 'String', 'db.internal'],
      ['/apps/orders/db/port', 'String', '5432'],
      ['/apps/orders/live', 'String', 'false'],
      ['/apps/orders/origins', 'StringList', 'https://a.example,https://b.example'],
      ['/apps/orders/prod/db/host', 'String', 'db-prod.internal'],
    ]);
  });

  it('grants GetParametersByPath on the path and below, GetParameter too when read by name, and the secret’s reads', () => {
    const s = stack();
    const role = new Role(s, 'Role', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    const config = new FunctionConfig(s, 'Config', { functionName: 'orders', values: { a: '1' }, secret: {} });
    config.grantRead(role, { byName: true });
    const [policy] = Object.values(Template.fromStack(s).findResources('AWS::IAM::Policy'));
    const statements = policy!.Properties.PolicyDocument.Statement as { Action: unknown; Resource: unknown }[];
    expect(statements.map((st) => st.Action)).toEqual([
      ['ssm:GetParametersByPath', 'ssm:GetParameter'],
      ['secretsmanager:BatchGetSecretValue', 'secretsmanager:ListSecrets'],
      'secretsmanager:GetSecretValue',
    ]);
    const resources = JSON.stringify(statements.map((st) => st.Resource));
    expect(resources).toContain(':parameter/lambdakit/orders"');
    expect(resources).toContain(':parameter/lambdakit/orders/*"');
    // The base secret's ARN ends in six random characters; another function's (`orders-v2`) does not match.
    expect(resources).toContain(':secret:/lambdakit/orders-??????"');
    expect(resources).toContain(':secret:/lambdakit/orders/*"');
    expect(config.secret).toBeDefined();
    Template.fromStack(s).hasResourceProperties('AWS::SecretsManager::Secret', {
      Name: '/lambdakit/orders',
      SecretString: '{}',
    });
  });

  const refused: [string, Partial<FunctionConfigProps>, RegExp][] = [
    [
      'a prefix without its slash',
      { prefix: 'lambdakit' },
      /\{ prefix \}: expected an SSM path such as "\/lambdakit", got "lambdakit"/,
    ],
    [
      'a function name only known at deploy',
      { functionName: Token.asString({ Ref: 'Fn' }) },
      /\{ functionName \}: .* got a token/,
    ],
    ['an empty value', { values: { currency: '' } }, /\{ values \}: "currency" is empty/],
    ['a name SSM refuses', { values: { 'bad key': 'x' } }, /"bad key" is not a parameter name/],
    [
      'a comma in a StringList item',
      { values: { origins: ['a,b'] } },
      /"origins"\[0\]: a StringList item is non-empty text without commas, got "a,b"/,
    ],
    ['an empty list', { values: { origins: [] } }, /"origins" is an empty list/],
    ['a null', { values: { a: null as unknown as string } }, /"a" is null; expected text/],
    ['an infinite number', { values: { a: Number.POSITIVE_INFINITY } }, /"a" is Infinity, not a finite number/],
    [
      'a qualifier named like a top-level key',
      { values: { prod: 'x' }, qualifiers: { prod: { a: '1' } } },
      /\{ qualifiers \}: "prod" cannot name an alias/,
    ],
    [
      'a short generated secret',
      { secret: { generate: 'k', length: 8 } },
      /\{ secret\.length \}: expected a whole number from 16 to 4096, got 8/,
    ],
  ];
  it.each(refused)('refuses %s with a TypeError naming it', (_name, props, message) => {
    expect(() => make(props)).toThrow(TypeError);
    expect(() => make(props)).toThrow(message);
  });

  it('accepts a deep tree as a type, and refuses a function as one', () => {
    const tree: ConfigTree = { a: { b: { c: ['x'] } }, n: 1, f: true };
    expect(() => make({ values: tree })).not.toThrow();
    // @ts-expect-error a function is not a setting
    const bad: ConfigTree = { a: () => 'x' };
    expect(() => make({ values: bad })).toThrow(/"a" is function/);
  });

  it('flattens any tree of valid names and values to one parameter per leaf, named by its path', () => {
    const key = fc.stringMatching(/^[A-Za-z0-9_.-]{1,8}$/);
    const leaf = fc.oneof(
      fc.stringMatching(/^[^,]{1,12}$/),
      fc.integer(),
      fc.boolean(),
      fc.array(fc.stringMatching(/^[^,]{1,6}$/), { minLength: 1, maxLength: 3 }),
    );
    const { tree } = fc.letrec<{ tree: ConfigTree; value: unknown }>((tie) => ({
      tree: fc.dictionary(key, tie('value'), { maxKeys: 4 }) as fc.Arbitrary<ConfigTree>,
      value: fc.oneof({ depthSize: 'small' }, leaf, tie('tree')),
    }));
    fc.assert(
      fc.property(tree, (values) => {
        const leaves = flattenTree(values, 'test');
        const count = (node: unknown): number =>
          typeof node === 'object' && node !== null && !Array.isArray(node)
            ? Object.values(node).reduce<number>((sum, child) => sum + count(child), 0)
            : 1;
        expect(leaves).toHaveLength(count(values));
        for (const { name, value } of leaves) {
          const found = name
            .split('/')
            .reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], values);
          expect(Array.isArray(found) ? found : String(found)).toEqual(value);
        }
      }),
    );
  });
});
