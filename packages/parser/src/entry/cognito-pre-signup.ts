// @lambdakit/parser/cognito-pre-signup: this source's schemas and payload helper, without the other sources'.
export { type CognitoPreSignUpEvent, CognitoPreSignUpEventSchema } from '../cognito-pre-signup.js';
