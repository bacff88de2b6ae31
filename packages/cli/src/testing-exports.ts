/** @lambdakit/testing's exports: sample events and the local AWS servers the CLI drives. */
export type Testing = typeof import('@lambdakit/testing');

/**
 * Loads @lambdakit/testing on first use only: `lambdakit invoke` without `--event-source` or
 * `--local-aws` never pays for the zod schemas, the AWS SDK or dynalite.
 */
export function loadTesting(): Promise<Testing> {
  return import('@lambdakit/testing');
}
