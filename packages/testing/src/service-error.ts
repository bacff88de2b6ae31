/**
 * Thrown inside an operation of a local AWS endpoint (SSM, Secrets Manager, KMS) to answer with the
 * service's JSON 1.1 error shape (`__type`, `message`): a protocol response the SDK turns into its
 * named exception, never thrown at a test.
 */
export class ServiceError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}
