/**
 * Thrown inside an operation of the local SSM endpoint to answer with SSM's JSON 1.1 error shape
 * (`__type`, `message`): a protocol response the SDK turns into its named exception, never
 * thrown at a test.
 */
export class SsmError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}
