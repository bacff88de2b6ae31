// The CDK app: `npm run synth` writes its CloudFormation template to cdk.out (no AWS account
// needed); `npm run deploy` deploys it with your credentials (see the README).
import { App } from 'aws-cdk-lib';
import { OrderWorkflowStack } from './stack.js';

const app = new App({ outdir: process.env.CDK_OUTDIR ?? 'cdk.out' });
new OrderWorkflowStack(app, 'LambdakitOrderWorkflow');
app.synth();
