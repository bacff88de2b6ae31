/** The context object the Lambda Node.js runtime passes to a handler (its documented fields). */
export interface LambdaContext {
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
  memoryLimitInMB: string;
  awsRequestId: string;
  logGroupName: string;
  logStreamName: string;
  identity?: { cognitoIdentityId: string; cognitoIdentityPoolId: string } | undefined;
  clientContext?:
    | {
        client: Record<string, unknown>;
        Custom?: unknown;
        env: Record<string, unknown>;
      }
    | undefined;
  callbackWaitsForEmptyEventLoop: boolean;
  /** Milliseconds left before Lambda stops the invocation. */
  getRemainingTimeInMillis(): number;
}
