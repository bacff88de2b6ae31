import * as z from 'zod';
import { awsObject } from './aws-object.js';
import { tagSource } from './event-source.js';

/** A custom resource's properties: whatever the template sets, usually with its `ServiceToken`. */
export const CfnResourcePropertiesSchema = z.looseObject({
  // Real requests carry it, but AWS's documented Create, Update and Delete requests do not.
  ServiceToken: z.string().optional(),
  // Seconds CloudFormation waits for the response (1 to 3600, default 3600).
  ServiceTimeout: z.union([z.string(), z.number()]).optional(),
});

const common = {
  // Not among the request fields AWS documents (nor in its example requests), though sent in practice.
  ServiceToken: z.string().optional(),
  ResponseURL: z.string(),
  StackId: z.string(),
  RequestId: z.string(),
  LogicalResourceId: z.string(),
  ResourceType: z.string(),
  ResourceProperties: CfnResourcePropertiesSchema,
};

/** A Create request: there is no `PhysicalResourceId` yet. */
export const CfnCreateRequestSchema = awsObject({ RequestType: z.literal('Create'), ...common });

/** An Update request: the current `PhysicalResourceId` and the `OldResourceProperties`. */
export const CfnUpdateRequestSchema = awsObject({
  RequestType: z.literal('Update'),
  ...common,
  PhysicalResourceId: z.string(),
  OldResourceProperties: z.record(z.string(), z.unknown()),
});

/** A Delete request: the `PhysicalResourceId` to delete. */
export const CfnDeleteRequestSchema = awsObject({
  RequestType: z.literal('Delete'),
  ...common,
  PhysicalResourceId: z.string(),
});

/** A CloudFormation custom resource request (Create, Update or Delete), discriminated by `RequestType`. */
export const CfnCustomResourceEventSchema = tagSource(
  z.discriminatedUnion('RequestType', [CfnCreateRequestSchema, CfnUpdateRequestSchema, CfnDeleteRequestSchema]),
  { source: 'cfn-custom-resource', http: false },
);

/** A CloudFormation custom resource request as Lambda receives it. */
export type CfnCustomResourceEvent = z.output<typeof CfnCustomResourceEventSchema>;
