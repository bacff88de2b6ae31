import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import { basename } from 'node:path';
import { Duration, Stack } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import {
  ApplicationLogLevel,
  Architecture,
  type CfnFunction,
  Code,
  type FunctionOptions,
  type IEventSource,
  Function as LambdaFunction,
  LoggingFormat,
  RecursiveLoop,
  Runtime,
  SystemLogLevel,
  Tracing,
} from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, KinesisEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { type ILogGroupRef, LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { DISABLE_ASSET_STAGING_CONTEXT } from 'aws-cdk-lib/cx-api';
import type { Construct } from 'constructs';
import { bundleHandler, type HandlerBundle, type NodeRuntime } from './bundle-handler.js';
import { FunctionAlarms, type FunctionAlarmsOptions } from './function-alarms.js';
import { FunctionConfig, type FunctionConfigProps } from './function-config.js';
import { grantCheckpoints, roleFor } from './function-role.js';
import { detectNeeds, type HandlerNeed, type NeedRule } from './handler-needs.js';
import { grantRecords } from './idempotency-table.js';
import { missingInfrastructure } from './missing-infrastructure.js';

/** The levels of lambdakit's logger, which Lambda's advanced logging controls filter by. */
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

/** How the handler is bundled. */
export interface BundlingOptions {
  /** Minify (default `true`; class and function names are kept). */
  minify?: boolean | undefined;
  /** Ship `index.mjs.map` and run Node with `--enable-source-maps` (default `false`: it slows every stack trace). */
  sourceMap?: boolean | undefined;
  /** Modules left out of the bundle besides `@aws-sdk/*` (install them in a layer). Default: `['pino-pretty']`, which only a terminal uses; a list of your own replaces it. */
  externalModules?: readonly string[] | undefined;
  /** The folder esbuild works in: paths in its messages start there (default `process.cwd()`). */
  workingDir?: string | undefined;
}

type Fixed =
  | 'runtime'
  | 'tracing'
  | 'loggingFormat'
  | 'logFormat'
  | 'applicationLogLevel'
  | 'applicationLogLevelV2'
  | 'systemLogLevel'
  | 'systemLogLevelV2';

/** The props of {@link LambdakitFunction}: a Lambda function's options, with lambdakit's defaults and the infrastructure its packages use. */
export interface LambdakitFunctionProps extends Omit<FunctionOptions, Fixed> {
  /** The handler's source file (`.ts` or `.js`), bundled with esbuild. */
  entry: string;
  /** The export Lambda calls (default `handler`). */
  handler?: string | undefined;
  /** Lambda's Node.js runtime (default `nodejs24.x`). */
  runtime?: NodeRuntime | undefined;
  /** `timeout({ marginMs })` of the handler (default 500, as `timeout()`'s): the function's timeout must leave a second of work above it. */
  timeoutMarginMs?: number | undefined;
  /** The lowest level Lambda keeps (`AWS_LAMBDA_LOG_LEVEL`, which lambdakit's logger follows); default `info`. */
  logLevel?: LogLevel | undefined;
  /** X-Ray active tracing (default: on when the handler uses `@lambdakit/tracer`). */
  tracing?: boolean | undefined;
  /** The table of `dynamoDbStore()` (an `IdempotencyTable`, or a table of your own keyed the same way); its name is given to the handler as `IDEMPOTENCY_TABLE`. */
  idempotencyTable?: ITable | undefined;
  /** The table of `dynamoDbStateStore()` (may be the idempotency table); its name is given as `RESILIENCE_TABLE`. */
  stateTable?: ITable | undefined;
  /** The parameter tree (and secret) `config()` reads; see {@link FunctionConfig}. */
  config?: Omit<FunctionConfigProps, 'functionName'> | undefined;
  /** The alarms of {@link FunctionAlarms} (default: on, with its defaults); `false` for none. */
  alarms?: FunctionAlarmsOptions | false | undefined;
  bundling?: BundlingOptions | undefined;
}

const LOG_LEVELS: Record<LogLevel, ApplicationLogLevel> = {
  trace: ApplicationLogLevel.TRACE,
  debug: ApplicationLogLevel.DEBUG,
  info: ApplicationLogLevel.INFO,
  warn: ApplicationLogLevel.WARN,
  error: ApplicationLogLevel.ERROR,
  fatal: ApplicationLogLevel.FATAL,
};

/**
 * A Lambda function for a lambdakit handler: bundled from `entry`, on arm64 and Node.js 24 (or 22),
 * JSON logs at `logLevel`, and the grants and settings for the infrastructure it is given. At synth
 * it checks the handler against that infrastructure: a handler whose bundle uses `dynamoDbStore()`
 * with no `idempotencyTable`, `config()` with no `config`, `batch()` behind an event source that
 * does not report batch item failures, … fails the synth with what is missing.
 */
export class LambdakitFunction extends LambdaFunction {
  /** The handler's bundle: the folder that became the function's code. */
  readonly bundle: HandlerBundle;
  /** What the handler's bundle shows it uses (see the README's table): checked against what the function was given at synth. */
  readonly needs: ReadonlySet<HandlerNeed>;
  /** The function's name, known at synth (`functionName` is a token for references). */
  readonly physicalFunctionName: string;
  /** The function's timeout. */
  override readonly timeout: Duration;
  /** The table the idempotency records are kept in, when given. */
  readonly idempotencyTable: ITable | undefined;
  /** The table the resilience state is kept in, when given. */
  readonly stateTable: ITable | undefined;
  /** The parameter tree (and secret), when `config` was given. */
  readonly config: FunctionConfig | undefined;
  /** The alarms, unless `alarms: false`. */
  readonly alarms: FunctionAlarms | undefined;
  /** Deployed as a durable function (`durableConfig` given). */
  readonly durable: boolean;

  constructor(scope: Construct, id: string, props: LambdakitFunctionProps) {
    const settings = settle(scope, id, props);
    super(scope, id, settings.function);
    // CDK has copied the bundle into the assembly (unless staging is off, as under SAM: the template then points at it).
    if (!this.node.tryGetContext(DISABLE_ASSET_STAGING_CONTEXT))
      rmSync(settings.bundle.dir, { recursive: true, force: true });
    // Writing its own log group only: the managed AWSLambdaBasicExecutionRole would allow logs:* on every group.
    if (props.role === undefined) {
      // A log group's ARN (`…:log-group:<name>:*`) covers its streams.
      const arn = settings.logGroup.logGroupRef.logGroupArn;
      this.addToRolePolicy(
        new PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [arn] }),
      );
    }
    this.durable = props.durableConfig !== undefined;
    if (this.durable && props.role === undefined) grantCheckpoints(this, settings.name);
    this.bundle = settings.bundle;
    this.needs = new Set(settings.rules.keys());
    this.timeout = settings.timeout;
    this.physicalFunctionName = settings.name;
    this.idempotencyTable = props.idempotencyTable;
    this.stateTable = props.stateTable;
    for (const [table, variable] of [
      [props.idempotencyTable, 'IDEMPOTENCY_TABLE'],
      [props.stateTable, 'RESILIENCE_TABLE'],
    ] as const) {
      if (table === undefined) continue;
      grantRecords(table, this);
      this.addEnvironment(variable, table.tableName);
    }
    this.config = props.config && new FunctionConfig(this, 'Config', { ...props.config, functionName: settings.name });
    if (this.config) {
      this.config.grantRead(this, { byName: this.needs.has('configParametersByName') });
      // On a first deploy the settings exist before the function (and its event sources) can run.
      (this.node.defaultChild as CfnFunction).node.addDependency(this.config);
    }
    this.alarms =
      props.alarms === false ? undefined : new FunctionAlarms(this, 'Alarms', { ...props.alarms, function: this });
    const entry = basename(props.entry);
    this.node.addValidation({ validate: () => missingInfrastructure(this, entry, settings.rules) });
  }

  /** Adds an event source; a Kinesis or DynamoDB stream also gets the iterator-age alarm. */
  override addEventSource(source: IEventSource): void {
    super.addEventSource(source);
    if (source instanceof KinesisEventSource || source instanceof DynamoEventSource) this.alarms?.watchIteratorAge();
  }
}

/** The props with their defaults, each checked: a TypeError names the one that is wrong. */
function checked(
  props: LambdakitFunctionProps,
  where: string,
): { runtime: NodeRuntime; timeout: Duration; logLevel: LogLevel } {
  const runtime = props.runtime ?? 'nodejs24.x';
  if (runtime !== 'nodejs22.x' && runtime !== 'nodejs24.x') {
    throw new TypeError(`${where} { runtime }: expected 'nodejs22.x' or 'nodejs24.x', got ${String(runtime)}`);
  }
  const timeout = props.timeout ?? Duration.seconds(30);
  const marginMs = props.timeoutMarginMs ?? 500;
  if (!Number.isFinite(marginMs) || marginMs < 0) {
    throw new TypeError(
      `${where} { timeoutMarginMs }: expected a non-negative number of milliseconds, got ${marginMs}`,
    );
  }
  if (timeout.toMilliseconds() - marginMs < 1000) {
    throw new TypeError(
      `${where} { timeout }: ${timeout.toHumanString()} leaves less than a second of work before timeout()'s margin of ${marginMs} ms`,
    );
  }
  const logLevel = props.logLevel ?? 'info';
  if (!(logLevel in LOG_LEVELS)) {
    throw new TypeError(
      `${where} { logLevel }: expected one of ${Object.keys(LOG_LEVELS).join(', ')}, got ${String(logLevel)}`,
    );
  }
  return { runtime, timeout, logLevel };
}

interface Settled {
  function: ConstructorParameters<typeof LambdaFunction>[2];
  bundle: HandlerBundle;
  rules: Map<HandlerNeed, NeedRule>;
  timeout: Duration;
  name: string;
  logGroup: ILogGroupRef;
}

function settle(scope: Construct, id: string, props: LambdakitFunctionProps): Settled {
  const where = `new LambdakitFunction(…, '${id}', …)`;
  const { runtime, timeout, logLevel } = checked(props, where);
  const handler = props.handler ?? 'handler';
  const bundle = bundleOf(props, runtime, where);
  if (!bundle.exports.includes(handler)) {
    rmSync(bundle.dir, { recursive: true, force: true });
    throw new TypeError(
      `${where} { handler }: ${props.entry} has no export named ${handler} (it exports ${bundle.exports.join(', ') || 'nothing'})`,
    );
  }
  const rules = detectNeeds(bundle.modules);
  const name = props.functionName ?? nameFor(scope, id);
  // Lambda's own log group never expires; this one keeps a month (pass `logGroup` for another).
  const logGroup = props.logGroup ?? new LogGroup(scope, `${id}Logs`, { retention: RetentionDays.ONE_MONTH });
  const sourceMap = props.bundling?.sourceMap ?? false;
  const {
    entry: _entry,
    handler: _handler,
    runtime: _runtime,
    timeoutMarginMs: _margin,
    logLevel: _level,
    tracing: _tracing,
    idempotencyTable: _table,
    stateTable: _state,
    config: _config,
    alarms: _alarms,
    bundling: _bundling,
    ...options
  } = props;
  return {
    bundle,
    rules,
    timeout,
    name,
    logGroup,
    function: {
      architecture: Architecture.ARM_64,
      memorySize: 512,
      recursiveLoop: RecursiveLoop.TERMINATE,
      ...options,
      functionName: name,
      logGroup,
      role: props.role ?? roleFor(scope, id, props),
      code: Code.fromAsset(bundle.dir),
      handler: `${bundle.file.replace(/\.mjs$/, '')}.${handler}`,
      runtime: runtime === 'nodejs24.x' ? Runtime.NODEJS_24_X : Runtime.NODEJS_22_X,
      timeout,
      tracing: (props.tracing ?? rules.has('tracing')) ? Tracing.ACTIVE : Tracing.DISABLED,
      loggingFormat: LoggingFormat.JSON,
      applicationLogLevelV2: LOG_LEVELS[logLevel],
      systemLogLevelV2: SystemLogLevel.INFO,
      environment: {
        ...(sourceMap ? { NODE_OPTIONS: '--enable-source-maps' } : {}),
        ...props.environment,
      },
    },
  };
}

function bundleOf(props: LambdakitFunctionProps, runtime: NodeRuntime, where: string): HandlerBundle {
  try {
    return bundleHandler(props.entry, {
      runtime,
      minify: props.bundling?.minify ?? true,
      sourceMap: props.bundling?.sourceMap ?? false,
      externalModules: props.bundling?.externalModules ?? ['pino-pretty'],
      workingDir: props.bundling?.workingDir ?? process.cwd(),
    });
  } catch (error) {
    throw new TypeError(
      `${where} { entry }: could not bundle ${props.entry}: ${(error as Error).message.replaceAll('\n', '; ')}`,
      { cause: error },
    );
  }
}

/**
 * A name known at synth, so the config tree's path and the role's grants can name it without a
 * reference cycle: the stack's and the construct's names, and a hash of both the stack's name and
 * the construct's path (so unique in the account and region, as the stack's name is, even where the
 * readable part is cut). At most 64 characters.
 */
function nameFor(scope: Construct, id: string): string {
  const stackName = Stack.of(scope).stackName;
  const hash = createHash('sha256').update(`${stackName}\n${scope.node.path}/${id}`).digest('hex').slice(0, 8);
  const readable = `${stackName}-${id}`.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 55);
  return `${readable}-${hash}`;
}
