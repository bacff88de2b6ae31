// @lambdakit/parser/apigw-http: this source's schemas and payload helper, without the other sources'.
export {
  type ApigwHttpEvent,
  ApigwHttpEventSchema,
  ApigwHttpRequestContextSchema,
  apigwHttp,
  HttpAuthenticationSchema,
  HttpRequestSchema,
  IamAuthorizerSchema,
} from '../apigw-http.js';
