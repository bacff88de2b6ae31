import { Stack } from 'aws-cdk-lib';
import { CfnAlias, CfnEventSourceMapping, CfnVersion } from 'aws-cdk-lib/aws-lambda';
import type { IConstruct } from 'constructs';
import type { HandlerNeed, NeedRule } from './handler-needs.js';
import type { LambdakitFunction } from './lambdakit-function.js';

/** What a need asks of the function: the prop that provides it. */
const REMEDY: Partial<Record<HandlerNeed, string>> = {
  idempotencyTable: "give it { idempotencyTable: new IdempotencyTable(this, 'Idempotency') }",
  stateTable: 'give it { stateTable } (an IdempotencyTable; the idempotency table can be shared)',
  configParameters: 'give it { config: { values: { … } } } (its parameter tree in SSM, and the grant to read it)',
  configParametersByName: 'give it { config: { values: { … } } } (its parameter tree in SSM, and the grant to read it)',
  configSecrets: 'give it { config: { secret: { … } } } (its secret in Secrets Manager, and the grant to read it)',
  durableConfig:
    'give it { durableConfig: { executionTimeout: Duration.days(1) } } (Lambda runs it as a durable function only with one, and grants it the checkpoint calls)',
};

/** The needs whose infrastructure is there, by what the function was given. */
function provided(fn: LambdakitFunction, need: HandlerNeed): boolean {
  switch (need) {
    case 'idempotencyTable':
      return fn.idempotencyTable !== undefined;
    case 'stateTable':
      return fn.stateTable !== undefined;
    case 'configParameters':
    case 'configParametersByName':
      return fn.config !== undefined;
    case 'configSecrets':
      return fn.config?.secret !== undefined;
    case 'durableConfig':
      return fn.durable;
    default:
      return true;
  }
}

/**
 * The event source mappings in the function's stack that invoke it, directly or through one of its
 * aliases or versions (`fn.addEventSource`, `alias.addEventSource`, `new EventSourceMapping(…, { target })`).
 */
function mappingsOf(fn: LambdakitFunction): CfnEventSourceMapping[] {
  const stack = Stack.of(fn);
  const all = stack.node.findAll();
  const idOf = (construct: IConstruct) => stack.getLogicalId(construct as CfnAlias);
  const fnId = idOf(fn.node.defaultChild as IConstruct);
  const refersTo = (value: unknown, ids: Set<string>) =>
    [...JSON.stringify(stack.resolve(value)).matchAll(/"Ref":"([^"]+)"|"Fn::GetAtt":\["([^"]+)"/g)].some((m) =>
      ids.has(m[1] ?? m[2] ?? ''),
    );
  const ids = new Set([fnId]);
  for (const child of all) {
    if ((child instanceof CfnAlias || child instanceof CfnVersion) && refersTo(child.functionName, new Set([fnId]))) {
      ids.add(idOf(child));
    }
  }
  return all.filter(
    (child): child is CfnEventSourceMapping =>
      child instanceof CfnEventSourceMapping && refersTo(child.functionName, ids),
  );
}

/**
 * The synth-time check of a {@link LambdakitFunction}: one message per door the handler uses whose
 * infrastructure the function lacks, and per event source mapping that would lose `batch()`'s
 * partial failures (without `ReportBatchItemFailures`, Lambda ignores `batchItemFailures` and
 * deletes or skips every record of a batch that returned).
 */
export function missingInfrastructure(
  fn: LambdakitFunction,
  entry: string,
  rules: Map<HandlerNeed, NeedRule>,
): string[] {
  const problems: string[] = [];
  for (const [need, rule] of rules) {
    const remedy = REMEDY[need];
    if (remedy === undefined || provided(fn, need)) continue;
    problems.push(
      `${entry} uses ${rule.door} from @lambdakit/${rule.pkg}, but ${fn.node.path} has no infrastructure for it: ${remedy}`,
    );
  }
  if (rules.has('batchResponses')) {
    for (const mapping of mappingsOf(fn)) {
      const types = Stack.of(fn).resolve(mapping.functionResponseTypes) as unknown;
      if (!(Array.isArray(types) && types.includes('ReportBatchItemFailures'))) {
        // The construct the user made (an EventSourceMapping), not its CloudFormation resource.
        const path = mapping.node.id === 'Resource' ? mapping.node.scope?.node.path : mapping.node.path;
        problems.push(
          `${entry} uses batch() from @lambdakit/batch, but the event source ${path} does not report batch item failures: add reportBatchItemFailures: true (SqsSource does)`,
        );
      }
    }
  }
  return problems;
}
