// lambdakit: logger + timeout + parse + config, shared by the plain and the idempotent variants.
import { config } from '@lambdakit/config';
import { lambda, timeout } from '@lambdakit/core';
import { logger } from '@lambdakit/logger';
// Each source has its own entry point: loaded from node_modules (no bundler), a function loads only the
// sources it imports. A bundle is the same either way.
import { apigwHttp } from '@lambdakit/parser/apigw-http';
import { parse } from '@lambdakit/parser/parse';
import { Order, Settings } from '../order.js';

/** The builder with the API stack's middlewares; `.handle()` or `.use()` more on it. */
export const apiBuilder = () =>
  lambda()
    .use(logger())
    .use(timeout({ marginMs: 500 }))
    .use(parse(apigwHttp(Order)))
    .use(config({ schema: Settings, maxAgeSeconds: 900 }));
