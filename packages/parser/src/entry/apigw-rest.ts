// @lambdakit/parser/apigw-rest: this source's schemas and payload helper, without the other sources'.
export {
  type ApigwRestEvent,
  ApigwRestEventSchema,
  ApigwRestIdentitySchema,
  ApigwRestRequestContextSchema,
  apigwRest,
} from '../apigw-rest.js';
