import { readFile } from 'node:fs/promises';
import { CliError } from './cli-error.js';
import { parseJson } from './parse-json.js';

/** How the command line completes a callback: with a result (JSON text), or with an error. */
export type CallbackAnswer = { result: string } | { error: CallbackError };

/** A callback's error, as Lambda's `SendDurableExecutionCallbackFailure` takes it. */
export interface CallbackError {
  ErrorMessage: string;
  ErrorType?: string;
  ErrorData?: string;
}

/** The options that answer callbacks. */
export interface CallbackOptions {
  /** `--callback name=JSON` (repeatable). */
  callback?: string[];
  /** `--callback-failure name=MESSAGE` (repeatable). */
  callbackFailure?: string[];
  /** `--callbacks file`: `{ "name": { "result": … } | { "error": "message" | { errorMessage, errorType, errorData } } }`. */
  callbacks?: string;
}

/** The answers the options give, by callback name; a name answered twice is refused. */
export async function readCallbackAnswers(options: CallbackOptions): Promise<Map<string, CallbackAnswer>> {
  const answers = new Map<string, CallbackAnswer>();
  const add = (name: string, answer: CallbackAnswer, where: string) => {
    if (answers.has(name)) throw new CliError('CLI_USAGE', `${where}: callback "${name}" is answered twice`);
    answers.set(name, answer);
  };
  for (const option of options.callback ?? []) {
    const [name, text] = split(option, '--callback', 'name=JSON');
    parseJson(text, `--callback ${name}`);
    // Passed on as written (checked to be JSON): big integers and `1.0` reach the function unchanged.
    add(name, { result: text }, '--callback');
  }
  for (const option of options.callbackFailure ?? []) {
    const [name, message] = split(option, '--callback-failure', 'name=MESSAGE');
    add(name, { error: { ErrorMessage: message } }, '--callback-failure');
  }
  if (options.callbacks !== undefined) {
    for (const [name, answer] of await readCallbacksFile(options.callbacks)) add(name, answer, options.callbacks);
  }
  return answers;
}

function split(option: string, flag: string, form: string): [string, string] {
  const at = option.indexOf('=');
  if (at <= 0) throw new CliError('CLI_USAGE', `${flag} ${option}: expected ${form}`);
  return [option.slice(0, at), option.slice(at + 1)];
}

async function readCallbacksFile(file: string): Promise<Array<[string, CallbackAnswer]>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new CliError('CLI_INVALID_INPUT', `--callbacks: cannot read ${file}: ${(error as Error).message}`, {
      file,
      cause: error,
    });
  }
  const value = parseJson(text, file);
  if (!isObject(value)) throw invalid(file, '', 'an object of answers by callback name');
  return Object.entries(value).map(([name, entry]) => [name, fileAnswer(file, name, entry)]);
}

function fileAnswer(file: string, name: string, entry: unknown): CallbackAnswer {
  if (!isObject(entry) || 'result' in entry === 'error' in entry) {
    throw invalid(file, name, '{ "result": <any JSON> } or { "error": "message" | { "errorMessage": … } }');
  }
  if ('result' in entry) return { result: JSON.stringify(entry.result) };
  const error = entry.error;
  if (typeof error === 'string') return { error: { ErrorMessage: error } };
  if (!isObject(error) || typeof error.errorMessage !== 'string') {
    throw invalid(file, `${name}.error`, 'a message, or an object with an "errorMessage" string');
  }
  const optional = (key: 'errorType' | 'errorData'): string | undefined => {
    const field = error[key];
    if (field === undefined || typeof field === 'string') return field;
    throw invalid(file, `${name}.error.${key}`, 'a string');
  };
  const type = optional('errorType');
  const data = optional('errorData');
  return {
    error: {
      ErrorMessage: error.errorMessage,
      ...(type === undefined ? {} : { ErrorType: type }),
      ...(data === undefined ? {} : { ErrorData: data }),
    },
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(file: string, path: string, expected: string): CliError {
  return new CliError('CLI_INVALID_INPUT', `${file}${path === '' ? '' : ` at ${path}`}: expected ${expected}`, {
    file,
  });
}

/** What the runner's operation handle offers for a callback. */
interface CallbackOperation<S> {
  waitForData(status: S): Promise<unknown>;
  isWaitForCallback(): boolean;
  sendCallbackSuccess(result?: string): Promise<unknown>;
  sendCallbackFailure(error?: CallbackError): Promise<unknown>;
}

/**
 * Answers one callback the function started, through the runner's own callback API: by its
 * `waitForCallback` once the submitter has run, or by the callback itself once it started.
 */
export async function answerCallback<S>(
  runner: { getOperationById(id: string): CallbackOperation<S> },
  target: { id: string; waitForCallback: string | undefined; name: string },
  answer: CallbackAnswer,
  statuses: { STARTED: S; SUBMITTED: S },
  stderr: NodeJS.WritableStream,
): Promise<void> {
  const operation = runner.getOperationById(target.waitForCallback ?? target.id);
  try {
    await operation.waitForData(statuses.STARTED);
    if (operation.isWaitForCallback()) await operation.waitForData(statuses.SUBMITTED);
    if ('result' in answer) await operation.sendCallbackSuccess(answer.result);
    else await operation.sendCallbackFailure(answer.error);
    stderr.write(
      `lambdakit: durable: callback "${target.name}" answered with ${'result' in answer ? 'a result' : 'an error'}\n`,
    );
  } catch (error) {
    stderr.write(`lambdakit: durable: callback "${target.name}" could not be answered: ${(error as Error).message}\n`);
  }
}
