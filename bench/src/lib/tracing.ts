// The variants of the tracer scenario (issue 18) and what Lambda gives a function with active
// tracing: the daemon's address, a trace header per invocation, the runtime's own variables.
import { randomBytes } from 'node:crypto';
import { apiStack, type VariantSpec } from './variants.js';

/** A variant run under a trace header whose `Sampled` flag is `sampled`. */
export interface TracedVariant extends VariantSpec {
  library: 'lambdakit' | 'powertools';
  /** Whether the handler is traced at all (the untraced stack is the baseline). */
  traced: boolean;
  sampled: boolean;
}

const api = (id: string): VariantSpec => apiStack.variants.find((v) => v.id === id)!;
const lambdakitTraced: VariantSpec = {
  ...api('lambdakit'),
  entry: 'api/lambdakit-traced',
  requires: [...api('lambdakit').requires, '@lambdakit/tracer'],
};
const powertoolsTraced: VariantSpec = { ...api('powertools'), entry: 'api/powertools-traced' };

/** Untraced baseline, traced with two steps, and the same unsampled, per library; the baseline first. */
export const tracedVariants: readonly TracedVariant[] = [
  { ...api('lambdakit'), library: 'lambdakit', traced: false, sampled: true, label: 'lambdakit API stack, untraced' },
  {
    ...lambdakitTraced,
    id: 'lambdakit-traced',
    label: 'lambdakit + `tracer()` first, 2 `ctx.trace.span()` steps, `Sampled=1`',
    library: 'lambdakit',
    traced: true,
    sampled: true,
  },
  {
    ...lambdakitTraced,
    id: 'lambdakit-unsampled',
    label: 'the same, `Sampled=0` (nothing recorded)',
    library: 'lambdakit',
    traced: true,
    sampled: false,
  },
  {
    ...api('powertools'),
    library: 'powertools',
    traced: false,
    sampled: true,
    label: 'Powertools API stack on Middy, untraced',
  },
  {
    ...powertoolsTraced,
    id: 'powertools-traced',
    label: 'Powertools + `captureLambdaHandler` first, 2 subsegments, `Sampled=1`',
    library: 'powertools',
    traced: true,
    sampled: true,
  },
  {
    ...powertoolsTraced,
    id: 'powertools-unsampled',
    label: 'the same, `Sampled=0`',
    library: 'powertools',
    traced: true,
    sampled: false,
  },
];

/** The trace header of issue 18, as Lambda sets `_X_AMZN_TRACE_ID` for a sampled invocation. */
export const sampledHeader = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';

/** The header with its decision set. */
export function withDecision(header: string, sampled: boolean): string {
  return header.replace(/Sampled=[01?]/, `Sampled=${sampled ? 1 : 0}`);
}

/**
 * `n` trace headers, the first issue 18's, then distinct trace and parent ids: Lambda gives each
 * invocation its own, and a tracer that keeps state per trace (X-Ray's facade segment) resets on a new one.
 */
export function traceHeaders(n: number, sampled: boolean): string[] {
  return Array.from({ length: n }, (_, i) =>
    i === 0
      ? withDecision(sampledHeader, sampled)
      : `Root=1-5759e988-${randomBytes(12).toString('hex')};Parent=${randomBytes(8).toString('hex')};Sampled=${sampled ? 1 : 0}`,
  );
}

/**
 * Lambda's variables for active tracing, set for every variant alike: the daemon's address (the
 * bench's UDP sink), and the runtime's own, by which X-Ray's SDK and Powertools' tracer know they
 * run on Lambda (neither records anything elsewhere).
 */
export function tracingEnv(daemonAddress: string): Record<string, string> {
  return {
    AWS_XRAY_DAEMON_ADDRESS: daemonAddress,
    AWS_EXECUTION_ENV: `AWS_Lambda_nodejs${process.versions.node.split('.')[0]}.x`,
    LAMBDA_TASK_ROOT: '/var/task',
    _HANDLER: 'index.handler',
    _X_AMZN_TRACE_ID: sampledHeader,
  };
}
