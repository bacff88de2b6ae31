/** One operation update of a `CheckpointDurableExecution` call, as the SDK sends it. */
export interface DurableUpdate {
  Id?: string;
  ParentId?: string;
  Name?: string;
  Type?: string;
  Action?: string;
  WaitOptions?: { WaitSeconds?: number };
  StepOptions?: { NextAttemptDelaySeconds?: number };
  CallbackOptions?: { TimeoutSeconds?: number; HeartbeatTimeoutSeconds?: number };
  [field: string]: unknown;
}

/** A callback the function started: its operation id and the names it can be answered by. */
export interface StartedCallback {
  id: string;
  names: string[];
  /** The `waitForCallback` it belongs to (its parent context), which is answered in its place. */
  waitForCallback: string | undefined;
  /** The name whose command-line answer it takes: the first callback of a name takes it. */
  answeredAs: string | undefined;
  /** Seconds until it times out on its own, if it does. */
  timeoutSeconds: number | undefined;
}

/**
 * How the run treats time. Skipping (the default of `lambdakit invoke --durable`): a wait, a
 * step's retry delay and an unanswered callback's timeout take no time, as if the clock jumped to
 * their end; what each skipped is kept for the report. In real time they take as long as asked.
 */
export interface TimeTravel {
  skip: boolean;
  /** Seconds skipped, by operation id (added up over a step's retries). */
  readonly skipped: Map<string, number>;
  /** Names the command line answers whose callback has not started yet. */
  readonly unclaimed: Set<string>;
  /** Operations started so far, by id: a callback is named by its own name or its `waitForCallback`'s. */
  readonly started: Map<string, DurableUpdate>;
  /** Told of each callback the function starts. */
  onCallback(callback: StartedCallback): void;
  /** Told of a `ctx.invoke` of another function, which a local run has nowhere to send. */
  onChainedInvoke(update: DurableUpdate): void;
}

/** Creates the time settings of a run. */
export function timeTravel(
  skip: boolean,
  answers: Iterable<string>,
  onCallback: TimeTravel['onCallback'],
  onChainedInvoke: TimeTravel['onChainedInvoke'] = () => undefined,
): TimeTravel {
  return { skip, skipped: new Map(), unclaimed: new Set(answers), started: new Map(), onCallback, onChainedInvoke };
}

/**
 * The updates as the local store gets them: with time skipped, a wait ends now, a retry is due
 * now, and a callback nobody answers times out now (the clock jumped to its timeout). Names of
 * started operations are remembered to name a callback by its `waitForCallback`.
 */
export function travel(updates: DurableUpdate[], time: TimeTravel): DurableUpdate[] {
  const names = time.started;
  return updates.map((update) => {
    if (update.Id !== undefined && update.Action === 'START') names.set(update.Id, update);
    if (update.Type === 'CALLBACK' && update.Action === 'START') return callbackStart(update, time, names);
    if (update.Type === 'CHAINED_INVOKE' && update.Action === 'START') time.onChainedInvoke(update);
    if (!time.skip) return update;
    const waitSeconds = update.WaitOptions?.WaitSeconds;
    if (update.Type === 'WAIT' && update.Action === 'START' && waitSeconds !== undefined && waitSeconds > 0) {
      note(time, update, waitSeconds);
      return { ...update, WaitOptions: { ...update.WaitOptions, WaitSeconds: 0 } };
    }
    const delay = update.StepOptions?.NextAttemptDelaySeconds;
    if (update.Type === 'STEP' && update.Action === 'RETRY' && delay !== undefined && delay > 0) {
      note(time, update, delay);
      return { ...update, StepOptions: { ...update.StepOptions, NextAttemptDelaySeconds: 0 } };
    }
    return update;
  });
}

function callbackStart(update: DurableUpdate, time: TimeTravel, names: Map<string, DurableUpdate>): DurableUpdate {
  const parent = update.ParentId === undefined ? undefined : names.get(update.ParentId);
  const known = [update.Name, parent?.Name].filter((name): name is string => name !== undefined);
  const answeredAs = known.find((name) => time.unclaimed.has(name));
  if (answeredAs !== undefined) time.unclaimed.delete(answeredAs);
  const options = update.CallbackOptions ?? {};
  const limits = [options.TimeoutSeconds, options.HeartbeatTimeoutSeconds].filter(
    (seconds): seconds is number => seconds !== undefined && seconds > 0,
  );
  const timeoutSeconds = limits.length === 0 ? undefined : Math.min(...limits);
  const waitForCallback = parent?.SubType === 'WaitForCallback' ? update.ParentId : undefined;
  time.onCallback({ id: update.Id ?? '', names: known, waitForCallback, answeredAs, timeoutSeconds });
  if (!time.skip || answeredAs !== undefined || timeoutSeconds === undefined) return update;
  note(time, update, timeoutSeconds);
  return { ...update, CallbackOptions: { ...options, TimeoutSeconds: 0 } };
}

function note(time: TimeTravel, update: DurableUpdate, seconds: number): void {
  if (update.Id === undefined) return;
  time.skipped.set(update.Id, (time.skipped.get(update.Id) ?? 0) + seconds);
}
