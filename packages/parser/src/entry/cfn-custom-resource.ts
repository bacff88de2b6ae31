// @lambdakit/parser/cfn-custom-resource: this source's schemas and payload helper, without the other sources'.
export {
  CfnCreateRequestSchema,
  type CfnCustomResourceEvent,
  CfnCustomResourceEventSchema,
  CfnDeleteRequestSchema,
  CfnResourcePropertiesSchema,
  CfnUpdateRequestSchema,
} from '../cfn-custom-resource.js';
