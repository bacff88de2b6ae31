import { fileURLToPath } from 'node:url';
import { LambdakitFunction } from '@lambdakit/cdk';
import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';

/** The hello function as it deploys: one function, its log group (kept a month) and its alarms. */
export class HelloStack extends Stack {
  readonly hello: LambdakitFunction;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, props);
    this.hello = new LambdakitFunction(this, 'Hello', {
      entry: fileURLToPath(new URL('../src/handler.ts', import.meta.url)),
      description: 'Greets; gives up 200 ms before its deadline',
      timeout: Duration.seconds(3),
      // The handler's timeout({ marginMs: 200 }): the construct checks 3 s leaves work above it.
      timeoutMarginMs: 200,
      memorySize: 256,
    });
  }
}
