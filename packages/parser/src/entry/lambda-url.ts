// @lambdakit/parser/lambda-url: this source's schemas and payload helper, without the other sources'.
export { type LambdaUrlEvent, LambdaUrlEventSchema, LambdaUrlRequestContextSchema, lambdaUrl } from '../lambda-url.js';
