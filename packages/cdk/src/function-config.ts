import { ArnFormat, SecretValue, Stack, Token } from 'aws-cdk-lib';
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { StringListParameter, StringParameter } from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { type ConfigTree, flattenTree } from './config-tree.js';

/** The Secrets Manager secret `{prefix}/{function}` that `@lambdakit/config`'s `secrets()` reads. */
export interface ConfigSecretProps {
  /** A key whose value Secrets Manager generates at deploy time (a signing key, a password): it is never in the template. */
  generate?: string | undefined;
  /** Length of the generated value (default 64). */
  length?: number | undefined;
}

/** The props of {@link FunctionConfig}. */
export interface FunctionConfigProps {
  /**
   * The name of the function the settings are for, as Lambda gives it in `AWS_LAMBDA_FUNCTION_NAME`:
   * known at synth, not a token (a `LambdakitFunction` has it as `physicalFunctionName`), so the
   * function's role can be granted the tree without a reference cycle.
   */
  functionName: string;
  /** The path above every function's tree, as `config({ prefix })` has it (default `/lambdakit`). */
  prefix?: string | undefined;
  /** The base settings: `{prefix}/{function}/{key}`. */
  values?: ConfigTree | undefined;
  /** Overrides per alias, version or `latest`: `{prefix}/{function}/{qualifier}/{key}`. */
  qualifiers?: Readonly<Record<string, ConfigTree>> | undefined;
  /** Also create the function's secret, for `secrets()` (a JSON object; `{}` unless `generate` is given). */
  secret?: ConfigSecretProps | undefined;
}

// As config() takes it: levels of letters, digits and `_ . -`; one trailing `/` is dropped; `''` puts trees at the root.
const PREFIX = /^(\/[A-Za-z0-9_.-]+)*$/;

/**
 * The parameter tree `@lambdakit/config` reads for one function, as SSM parameters, and the
 * permission to read exactly that tree. Values are in the template: keep secrets out of `values`
 * and in the `secret` (Secrets Manager), whose generated value never is.
 */
export class FunctionConfig extends Construct {
  /** The function's path: `{prefix}/{function}`. */
  readonly path: string;
  /** The secret `{prefix}/{function}`, when `secret` was given. */
  readonly secret: Secret | undefined;

  constructor(scope: Construct, id: string, props: FunctionConfigProps) {
    super(scope, id);
    const where = `new FunctionConfig(…, '${id}', …)`;
    const raw = props.prefix ?? '/lambdakit';
    const prefix = typeof raw === 'string' && raw.endsWith('/') ? raw.slice(0, -1) : raw;
    if (typeof prefix !== 'string' || !PREFIX.test(prefix)) {
      throw new TypeError(
        `${where} { prefix }: expected an SSM path such as "/lambdakit", got ${JSON.stringify(prefix)}`,
      );
    }
    const functionName = props.functionName;
    if (
      typeof functionName !== 'string' ||
      Token.isUnresolved(functionName) ||
      !/^[A-Za-z0-9_-]{1,64}$/.test(functionName)
    ) {
      throw new TypeError(
        `${where} { functionName }: expected a function's name known at synth (1 to 64 letters, digits, "-" or "_"), got ${Token.isUnresolved(functionName) ? 'a token' : JSON.stringify(functionName)}`,
      );
    }
    this.path = `${prefix}/${functionName}`;
    const values = props.values ?? {};
    this.createParameters(flattenTree(values, `${where} { values }`), this.path, 'Base');
    for (const [qualifier, tree] of Object.entries(props.qualifiers ?? {})) {
      if (!/^(latest|\d+|[A-Za-z0-9_-]+)$/.test(qualifier) || qualifier in values) {
        throw new TypeError(
          `${where} { qualifiers }: "${qualifier}" cannot name an alias or version here (not a name Lambda allows, or a top-level key of values, which config would read as a setting)`,
        );
      }
      this.createParameters(
        flattenTree(tree, `${where} { qualifiers.${qualifier} }`),
        `${this.path}/${qualifier}`,
        qualifier,
      );
    }
    this.secret = props.secret === undefined ? undefined : this.createSecret(props.secret, where);
  }

  /**
   * Lets `grantee` read the tree: `ssm:GetParametersByPath` on the function's path and below,
   * `ssm:GetParameter` too with `byName` (Lambda's Parameters and Secrets extension reads one
   * parameter at a time), and the secret's read actions when there is one.
   */
  grantRead(grantee: IGrantable, options: { byName?: boolean } = {}): void {
    const stack = Stack.of(this);
    const parameter = (name: string) =>
      stack.formatArn({ service: 'ssm', resource: 'parameter', resourceName: name.slice(1) });
    const actions = ['ssm:GetParametersByPath', ...(options.byName ? ['ssm:GetParameter'] : [])];
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ actions, resources: [parameter(this.path), parameter(`${this.path}/*`)] }),
    );
    if (this.secret === undefined) return;
    // One BatchGetSecretValue with a name filter reads the base secret and every qualifier's; neither
    // it nor ListSecrets (which the filter needs) has a resource to narrow to.
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['secretsmanager:BatchGetSecretValue', 'secretsmanager:ListSecrets'],
        resources: ['*'],
      }),
    );
    const secret = (name: string) =>
      stack.formatArn({
        service: 'secretsmanager',
        resource: 'secret',
        resourceName: name,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      });
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['secretsmanager:GetSecretValue'],
        // The base secret (its ARN ends in `-` and six random characters) and the qualifiers' below it.
        resources: [secret(`${this.path}-??????`), secret(`${this.path}/*`)],
      }),
    );
  }

  private createParameters(leaves: ReturnType<typeof flattenTree>, path: string, id: string): void {
    const scope = new Construct(this, id);
    for (const { name, value } of leaves) {
      const parameterName = `${path}/${name}`;
      if (typeof value === 'string') new StringParameter(scope, name, { parameterName, stringValue: value });
      else new StringListParameter(scope, name, { parameterName, stringListValue: [...value] });
    }
  }

  private createSecret(props: ConfigSecretProps, where: string): Secret {
    const length = props.length ?? 64;
    if (!Number.isInteger(length) || length < 16 || length > 4096) {
      throw new TypeError(`${where} { secret.length }: expected a whole number from 16 to 4096, got ${length}`);
    }
    const description = `Settings of ${this.path} read by @lambdakit/config's secrets()`;
    if (props.generate === undefined) {
      return new Secret(this, 'Secret', {
        secretName: this.path,
        description,
        secretStringValue: SecretValue.unsafePlainText('{}'),
      });
    }
    return new Secret(this, 'Secret', {
      secretName: this.path,
      description,
      generateSecretString: {
        secretStringTemplate: '{}',
        generateStringKey: props.generate,
        passwordLength: length,
        excludePunctuation: true,
      },
    });
  }
}
