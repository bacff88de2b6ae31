import type { ClientContext, CognitoIdentity } from 'aws-lambda';

/** The context object the Lambda Node.js runtime passes to a handler (its documented fields). */
export interface LambdaContext {
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
  memoryLimitInMB: string;
  awsRequestId: string;
  logGroupName: string;
  logStreamName: string;
  identity?: CognitoIdentity | undefined;
  clientContext?: ClientContext | undefined;
  callbackWaitsForEmptyEventLoop: boolean;
  /** The tenant of this invocation, for a function with tenant isolation (`PER_TENANT`); absent otherwise. */
  tenantId?: string | undefined;
  /** Milliseconds left before Lambda stops the invocation. */
  getRemainingTimeInMillis(): number;
}
