import * as z from 'zod';
import { awsObject } from './aws-object.js';
import { tagSource } from './event-source.js';

const strings = z.record(z.string(), z.string());

/**
 * The Cognito user pool pre sign-up trigger event, for all three trigger sources: self-service
 * `SignUp`, `AdminCreateUser`, and first sign-in through an `ExternalProvider`.
 */
export const CognitoPreSignUpEventSchema = tagSource(
  awsObject({
    version: z.string(),
    triggerSource: z.enum(['PreSignUp_SignUp', 'PreSignUp_AdminCreateUser', 'PreSignUp_ExternalProvider']),
    region: z.string(),
    userPoolId: z.string(),
    userName: z.string().optional(),
    callerContext: awsObject({ awsSdkVersion: z.string(), clientId: z.string() }),
    request: awsObject({
      userAttributes: strings,
      // null when the client sent no validation data.
      validationData: strings.nullish(),
      clientMetadata: strings.nullish(),
      userNotFound: z.boolean().optional(),
    }),
    // Cognito sends the defaults (all false); the function sets them in its response.
    response: awsObject({
      autoConfirmUser: z.boolean().optional(),
      autoVerifyEmail: z.boolean().optional(),
      autoVerifyPhone: z.boolean().optional(),
    }),
  }),
  { source: 'cognito-pre-signup', http: false },
);

/** A Cognito pre sign-up trigger event as Lambda receives it. */
export type CognitoPreSignUpEvent = z.output<typeof CognitoPreSignUpEventSchema>;
