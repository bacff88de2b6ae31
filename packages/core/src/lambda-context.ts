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
  /** Milliseconds left before Lambda stops the invocation. */
  getRemainingTimeInMillis(): number;
}
