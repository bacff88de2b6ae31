import { writeFile } from 'node:fs/promises';
import { chooseRuntime } from './choose-runtime.js';
import { CliError, EXIT_FUNCTION_ERROR } from './cli-error.js';
import { checkDeadLetterDir } from './dead-letter.js';
import { functionIdentity } from './function-identity.js';
import type { InvokeCommandOptions } from './invoke-command.js';
import type { CommandIo, Run } from './invoke-run.js';
import { type LocalAws, startLocalAws } from './local-aws.js';
import { readEnvFile } from './read-env-file.js';
import { readEvent } from './read-event.js';
import { checkClientContext, requestTooLarge } from './request-limits.js';
import { resolveTarget } from './resolve-target.js';
import { type RunTrace, startRunTrace } from './run-trace.js';
import { sandboxEnvironment } from './sandbox-environment.js';

/**
 * Everything a run needs, checked before anything starts: the function, the runtime, its ARN,
 * the event (refused, as Lambda refuses it, when over the payload limit: returns the exit code),
 * the environment, and the local AWS services.
 */
export async function prepareRun(target: string, options: InvokeCommandOptions, io: CommandIo): Promise<Run | number> {
  const resolved = await resolveTarget(target, io.cwd);
  const choice = chooseRuntime(options, io.cwd);
  const identity = functionIdentity(options, io.cwd);
  const event = await readEvent(options, io.stdin);
  const fileEnv = options.envFile === undefined ? {} : await readEnvFile(options.envFile);
  const clientContext = options.clientContext === undefined ? undefined : checkClientContext(options.clientContext);
  for (const note of choice.notes) io.stderr.write(`lambdakit: note: ${note}\n`);
  if (resolved.shadowedBy !== undefined) {
    io.stderr.write(
      `lambdakit: note: Lambda loads ${resolved.shadowedBy} for the handler "${resolved.handler}", not ${target.split('#')[0]}\n`,
    );
  }
  // Lambda refuses a request over its payload limit before anything runs: the caller gets the error.
  const tooLarge = requestTooLarge(event, options.async);
  if (tooLarge !== undefined) {
    io.stderr.write(`lambdakit: RequestEntityTooLargeException: ${tooLarge}\n`);
    io.stdout.write(`${JSON.stringify({ errorType: 'RequestEntityTooLargeException', errorMessage: tooLarge })}\n`);
    return EXIT_FUNCTION_ERROR;
  }
  if (options.async) await checkDeadLetterDir(options.dlqDir);
  if (options.traceOut !== undefined) await checkTraceOut(options.traceOut);
  const localAws = await startLocalServices(options, io);
  let trace: RunTrace | undefined;
  if (options.trace === true || options.traceOut !== undefined) {
    try {
      trace = await startRunTrace(options.traceOut);
    } catch (error) {
      await localAws?.stop();
      throw error;
    }
  }
  return {
    target: resolved,
    io,
    env: { ...sandboxEnvironment(fileEnv, localAws), ...trace?.daemon.env },
    event,
    ...(clientContext === undefined ? {} : { clientContext }),
    ...(options.tenantId === undefined ? {} : { tenantId: options.tenantId }),
    runtime: choice.runtime,
    runtimeClient: choice.client,
    ...identity,
    memoryMb: options.memory,
    region: options.region,
    timeoutMs: Math.round(options.timeout * 1000),
    logFormat: options.logFormat,
    concurrency: options.concurrency,
    async: { retryDelay: options.retryDelay, maxRetries: options.maxRetries, dlqDir: options.dlqDir },
    localAws,
    trace,
    sandboxes: new Set(),
    starting: new Set(),
    current: undefined,
    interrupt: new AbortController(),
    interruption: undefined,
    unsettled: new Map(),
  };
}

/** `--local-aws`: local DynamoDB, SSM, Secrets Manager, KMS, SQS, SNS, EventBridge and S3 for the run, seeded from `--params`, `--secrets`, `--tables` and `--payloads`. */
async function startLocalServices(options: InvokeCommandOptions, io: CommandIo): Promise<LocalAws | undefined> {
  if (!options.localAws) {
    if (
      options.params !== undefined ||
      options.secrets !== undefined ||
      options.tables !== undefined ||
      options.payloads !== undefined
    ) {
      throw new CliError(
        'CLI_USAGE',
        '--params, --secrets, --tables and --payloads seed the local services: add --local-aws',
      );
    }
    return undefined;
  }
  const localAws = await startLocalAws({
    region: options.region,
    ...(options.params === undefined ? {} : { paramsFile: options.params }),
    ...(options.secrets === undefined ? {} : { secretsFile: options.secrets }),
    ...(options.tables === undefined ? {} : { tablesFile: options.tables }),
    ...(options.payloads === undefined ? {} : { payloadsDir: options.payloads }),
  });
  io.stderr.write(
    `lambdakit: local AWS: SSM at ${localAws.env.AWS_ENDPOINT_URL_SSM}, DynamoDB at ${localAws.env.AWS_ENDPOINT_URL_DYNAMODB}, Secrets Manager at ${localAws.env.AWS_ENDPOINT_URL_SECRETS_MANAGER}, KMS at ${localAws.env.AWS_ENDPOINT_URL_KMS}, SQS at ${localAws.env.AWS_ENDPOINT_URL_SQS}, SNS at ${localAws.env.AWS_ENDPOINT_URL_SNS}, EventBridge at ${localAws.env.AWS_ENDPOINT_URL_EVENTBRIDGE}, S3 at ${localAws.env.AWS_ENDPOINT_URL_S3}\n`,
  );
  return localAws;
}

/** `--trace-out` is checked before anything runs: a run is not lost to a path that cannot be written. */
async function checkTraceOut(file: string): Promise<void> {
  try {
    await writeFile(file, '');
  } catch (error) {
    throw new CliError('CLI_USAGE', `--trace-out: cannot write ${file}: ${(error as Error).message}`);
  }
}
