import { defineMiddleware, type InvocationContext, type Middleware, type Request } from '@lambdakit/core';
import type { Metrics } from './create-metrics.js';
import { EMF_LIMITS } from './emf-limits.js';
import { type CreateMetricsOptions, resolveMetricsConfig } from './metrics-config.js';
import { MetricsError } from './metrics-error.js';
import { MetricsRecorder } from './metrics-recorder.js';

/** Options of the {@link metrics} middleware. */
export interface MetricsOptions extends CreateMetricsOptions {
  /**
   * Writes a `ColdStart` metric (Count 1, dimensions `Service`, default dimensions and
   * `FunctionName`) on the first invocation of the process. Default `true`: then at most 29
   * default dimensions (`Service` included), or `metrics()` throws `METRICS_DIMENSION_LIMIT`.
   */
  coldStartMetric?: boolean | undefined;
  /**
   * Writes the invocation's X-Ray trace id (`1-5759e988-bd862e3fe1be46a994272793`) as the
   * `xrayTraceId` metadata field of every EMF object, the field `@lambdakit/logger` writes on its
   * lines: a metric's data point then leads to the invocation's trace and log lines. Written when
   * the trace header is not `Sampled=0` (an unsampled trace holds nothing to open). Default `false`.
   */
  traceId?: boolean | undefined;
}

const XRAY_ROOT = /(?:^|;)\s*Root=(1-[0-9a-fA-F]{8}-[0-9a-fA-F]{24})\s*(?:;|$)/;
const NOT_SAMPLED = /(?:^|;)\s*Sampled=0\s*(?:;|$)/;

/** The trace id of a sampled (or undecided) X-Ray trace header; undefined otherwise. */
function sampledTraceId(header: string | undefined): string | undefined {
  if (typeof header !== 'string' || NOT_SAMPLED.test(header)) return undefined;
  return XRAY_ROOT.exec(header)?.[1];
}

/** The metric written on a cold start, and the dimension naming the function (as AWS/Lambda names it). */
const COLD_START_METRIC = 'ColdStart';
const FUNCTION_NAME_DIMENSION = 'FunctionName';

type MetricsContext = InvocationContext & { metrics: MetricsRecorder };

/**
 * Gives every invocation its own `ctx.metrics` and writes its metrics as EMF lines once, when
 * the invocation settles: on success, error, timeout and early return alike (a cleanup hook).
 * Every EMF object carries the invocation's `requestId` as metadata.
 */
export function metrics(options: MetricsOptions = {}): Middleware<unknown, unknown, { metrics: Metrics }> {
  // Validated once, at init: a bad namespace fails the deployment's first cold start, loudly.
  const config = resolveMetricsConfig(options, 'metrics');
  const coldStartMetric = options.coldStartMetric ?? true;
  if (typeof coldStartMetric !== 'boolean') {
    throw new TypeError(`metrics({ coldStartMetric }): expected a boolean, got ${String(coldStartMetric)}`);
  }
  const traceId = options.traceId ?? false;
  if (typeof traceId !== 'boolean') {
    throw new TypeError(`metrics({ traceId }): expected a boolean, got ${String(traceId)}`);
  }
  const defaults = config.defaultDimensions;
  // The ColdStart metric adds FunctionName to the default dimensions: refused at init rather
  // than written with 31 dimensions, which CloudWatch would drop.
  if (coldStartMetric && !defaults.has(FUNCTION_NAME_DIMENSION) && defaults.size >= EMF_LIMITS.dimensionsPerSet) {
    throw new MetricsError(
      'METRICS_DIMENSION_LIMIT',
      `The ColdStart metric would have ${defaults.size + 1} dimensions with ${FUNCTION_NAME_DIMENSION}, EMF allows ${EMF_LIMITS.dimensionsPerSet}: use fewer default dimensions or coldStartMetric: false`,
      { key: FUNCTION_NAME_DIMENSION, value: defaults.size + 1 },
    );
  }
  return defineMiddleware({
    name: 'metrics',
    before: (request: Request<unknown, MetricsContext>) => {
      const ctx = request.context;
      if (typeof ctx.cleanup !== 'function') {
        throw new TypeError('metrics(): ctx.cleanup is missing; use this middleware on a handler built with lambda()');
      }
      const fixed = new Map<string, unknown>();
      if (ctx.awsRequestId) fixed.set('requestId', ctx.awsRequestId);
      const xrayTraceId = traceId ? sampledTraceId(ctx.traceId) : undefined;
      if (xrayTraceId !== undefined) fixed.set('xrayTraceId', xrayTraceId);
      const recorder = new MetricsRecorder(config, fixed);
      recorder.source = ctx;
      ctx.metrics = recorder;
      // `onEmpty: 'throw'` fails a successful invocation from `after`; on the other paths the
      // invocation already has its outcome, so an empty flush is reported as a warning.
      ctx.cleanup(() => recorder.end(recorder.emptyReported || config.onEmpty === 'ignore' ? 'ignore' : 'warn'));
      if (coldStartMetric && ctx.coldStart === true) {
        const dimensions = new Map(defaults);
        if (ctx.functionName) dimensions.set(FUNCTION_NAME_DIMENSION, ctx.functionName);
        recorder.writeAlone(COLD_START_METRIC, dimensions);
      }
    },
    after: (request: Request<unknown, MetricsContext>) => {
      const recorder = request.context.metrics;
      if (config.onEmpty !== 'throw' || !(recorder instanceof MetricsRecorder) || !recorder.empty) return;
      recorder.emptyReported = true;
      throw new MetricsError('METRICS_EMPTY', `The invocation added no metrics to namespace "${config.namespace}"`);
    },
  });
}
