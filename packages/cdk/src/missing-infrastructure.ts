import type { CfnEventSourceMapping } from 'aws-cdk-lib/aws-lambda';
import { EventSourceMapping } from 'aws-cdk-lib/aws-lambda';
import type { HandlerNeed, NeedRule } from './handler-needs.js';
import type { LambdakitFunction } from './lambdakit-function.js';

/** What a need asks of the function, as the prop (or call) that provides it. */
const REMEDY: Partial<Record<HandlerNeed, string>> = {
  idempotencyTable: "give it { idempotencyTable: new IdempotencyTable(this, 'Idempotency') }",
  stateTable: '{ stateTable } (an IdempotencyTable; the idempotency table can be shared)',
  configParameters: '{ config: { values: { … } } } (its parameter tree in SSM, and the grant to read it)',
  configParametersByName: '{ config: { values: { … } } } (its parameter tree in SSM, and the grant to read it)',
  configSecrets: '{ config: { secret: { … } } } (its secret in Secrets Manager, and the grant to read it)',
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
    default:
      return true;
  }
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
    for (const mapping of fn.node.findAll().filter((child) => child instanceof EventSourceMapping)) {
      const cfn = mapping.node.defaultChild as CfnEventSourceMapping;
      const types = cfn.functionResponseTypes ?? [];
      if (!(Array.isArray(types) && types.includes('ReportBatchItemFailures'))) {
        problems.push(
          `${entry} uses batch() from @lambdakit/batch, but the event source ${mapping.node.path} does not report batch item failures: add reportBatchItemFailures: true (SqsSource does)`,
        );
      }
    }
  }
  return problems;
}
