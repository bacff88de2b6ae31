import { ArnFormat, Stack } from 'aws-cdk-lib';
import { type IRole, ManagedPolicy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';

/** The function's role: Lambda may assume it, and (in a VPC) manage network interfaces; log writes are granted on its own group. */
export function roleFor(scope: Construct, id: string, props: { vpc?: unknown }): IRole {
  const managedPolicies =
    props.vpc === undefined
      ? []
      : [ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSLambdaVPCAccessExecutionRole')];
  return new Role(scope, `${id}Role`, { assumedBy: new ServicePrincipal('lambda.amazonaws.com'), managedPolicies });
}

/**
 * A durable function checkpoints through Lambda's API, on its own executions only (any version or
 * alias). Named by the name known at synth: a reference to the function itself would make its
 * role's policy depend on the function, which depends on the policy.
 */
export function grantCheckpoints(fn: LambdaFunction, functionName: string): void {
  const functionArn = Stack.of(fn).formatArn({
    service: 'lambda',
    resource: 'function',
    resourceName: functionName,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
  fn.addToRolePolicy(
    new PolicyStatement({
      actions: ['lambda:CheckpointDurableExecution', 'lambda:GetDurableExecutionState'],
      resources: [functionArn, `${functionArn}:*`],
    }),
  );
}
