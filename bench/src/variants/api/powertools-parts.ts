// Powertools for AWS Lambda (TypeScript): logger + parser + parameters on Middy, as its docs
// show them. Shared by the plain and the idempotent Powertools variants.
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import { ApiGatewayV2Envelope } from '@aws-lambda-powertools/parser/envelopes/api-gatewayv2';
import { JSONStringified } from '@aws-lambda-powertools/parser/helpers';
import { parser } from '@aws-lambda-powertools/parser/middleware';
import type { Context } from 'aws-lambda';
import { type HttpResult, Order, placeOrder, type Settings, ssmPath } from '../order.js';

/** The Powertools logger (writes JSON lines to stdout). */
export const logger = new Logger({ serviceName: 'orders' });
const ssm = new SSMProvider();

/** The logger middleware. */
export const loggerMiddleware = injectLambdaContext(logger);
/** The parser middleware: the HTTP API envelope, body JSON-decoded and validated. */
export const parserMiddleware = parser({ schema: JSONStringified(Order), envelope: ApiGatewayV2Envelope });

/** The function's SSM parameters, from Powertools' parameter cache (15 minutes). */
export const orderParameters = () =>
  ssm.getMultiple(ssmPath, { maxAge: 900, recursive: true }) as Promise<Record<string, string>>;

/** The settings the parameters hold. */
export function settingsFrom(params: Record<string, string>): Settings {
  return { maxItems: Number(params.maxItems), currency: String(params.currency) };
}

/** The business logic: settings from Powertools' parameter cache (15 minutes), one log line. */
export async function orderHandler(order: Order, _context: Context): Promise<HttpResult> {
  const result = placeOrder(order, settingsFrom(await orderParameters()));
  logger.info('order handled', { orderId: order.orderId, statusCode: result.statusCode });
  return result;
}
