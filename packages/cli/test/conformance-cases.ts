// The conformance suite's cases (see conformance.test.ts): each runs under lambdakit's runtime and
// AWS's runtime interface client, and must be answered the same way.

/** One case: a handler, its event and options, and the runtimes it applies to. */
export interface Case {
  name: string;
  target: string;
  event?: unknown;
  args?: string[];
  env?: Record<string, string>;
  only?: 'nodejs22.x' | 'nodejs24.x';
}

const h = (name: string) => `test/conformance/handlers.mjs#${name}`;
export const cases: Case[] = [
  { name: 'an ES module async handler returning an object', target: h('echo'), event: { orderId: 'o-1', n: [1, 2] } },
  { name: 'the context: keys, their order and types, memory as a string', target: h('context') },
  { name: 'undefined as the result (null)', target: h('returnsUndefined') },
  { name: 'a string result', target: h('returnsString') },
  { name: 'a number result', target: h('returnsNumber') },
  { name: 'a synchronous handler returning a value', target: h('syncReturn'), event: { a: 1 } },
  { name: 'a thenable that is not a Promise', target: h('thenable') },
  { name: 'a result with toJSON()', target: h('withToJson') },
  { name: 'a result with a cycle (cannot be serialised)', target: h('cyclic') },
  { name: 'a result with a BigInt (cannot be serialised)', target: h('bigint') },
  { name: 'a thrown Error', target: h('throwsError') },
  { name: 'a thrown Error with a cause', target: h('throwsWithCause') },
  { name: 'a thrown Error subclass with its own fields', target: h('throwsCustom') },
  { name: 'a thrown string', target: h('throwsString') },
  { name: 'a thrown null', target: h('throwsNull') },
  { name: 'a thrown undefined', target: h('throwsUndefined') },
  { name: 'a thrown plain object', target: h('throwsObject') },
  { name: 'a thrown error-like object', target: h('throwsErrorLike') },
  { name: 'a rejected number', target: h('rejectsNumber') },
  { name: 'a synchronous throw', target: h('syncThrows') },
  { name: 'DEL in an error message', target: h('delInMessage') },
  { name: 'an error whose name is undefined', target: h('nameless') },
  { name: 'an exception thrown from a timer during an invocation', target: h('uncaughtInTimer') },
  { name: 'a promise rejection nobody handles', target: h('unhandledRejection') },
  { name: 'process.exit() in the handler', target: h('exits') },
  { name: 'a promise that never settles, with an empty event loop', target: h('neverSettles') },
  { name: 'a timer still pending when the result is returned', target: h('pendingTimer'), args: ['--repeat', '2'] },
  { name: 'a 5 MB result (under the limit)', target: h('largeResult'), event: { bytes: 5_000_000 } },
  {
    name: 'a 7 MB result (over the 6 MB limit), then another invocation in the same sandbox',
    target: h('largeResult'),
    event: { bytes: 7_000_000 },
    args: ['--repeat', '2'],
  },
  { name: 'console lines in the text format', target: h('logs') },
  { name: 'console lines in the JSON format', target: h('logs'), args: ['--log-format', 'json'] },
  {
    name: 'console lines under AWS_LAMBDA_LOG_LEVEL=WARN',
    target: h('logs'),
    args: ['--log-format', 'json'],
    env: { AWS_LAMBDA_LOG_LEVEL: 'WARN' },
  },
  { name: 'a nested export (#nested.orders.create)', target: h('nested.orders.create') },
  { name: 'an export that is missing', target: h('nope') },
  { name: 'an export that is not a function', target: h('notAFunction') },
  { name: 'an export that is falsy', target: h('falsy') },
  { name: 'a response-streaming handler', target: h('streamed') },
  { name: 'a streamed HTTP response with a prelude', target: h('streamedHttp') },
  { name: 'a streaming handler that throws', target: h('streamFails') },
  { name: "the response stream's members, and end() with an encoding", target: h('streamShape') },
  { name: 'setContentType() after the first write', target: h('contentTypeTooLate') },
  { name: 'a streamed response with bytes that are not ASCII', target: h('nonAsciiStream') },
  {
    name: 'a handler marked for a streaming mode Lambda does not have',
    target: 'test/conformance/streaming-marker.mjs',
  },
  { name: 'an error whose stack is null', target: h('nullStack') },
  { name: 'an error whose name is null', target: h('nullName') },
  { name: 'two promise rejections nobody handles', target: h('twoRejections') },
  {
    name: "the function's own beforeExit listener",
    target: 'test/conformance/before-exit.mjs',
    args: ['--repeat', '2'],
  },
  { name: 'a synchronous handler beside a beforeExit listener', target: 'test/conformance/before-exit-sync.mjs' },
  { name: 'a module that throws null while loading', target: 'test/conformance/init-throws-null.mjs' },
  { name: 'a CommonJS handler', target: 'test/conformance/commonjs.cjs' },
  { name: 'a CommonJS module.exports object', target: 'test/conformance/module-exports.cjs' },
  { name: 'a handler under the default export only', target: 'test/conformance/default-export.mjs' },
  { name: 'a syntax error in an ES module', target: 'test/conformance/syntax-error.mjs' },
  { name: 'a syntax error in a CommonJS module', target: 'test/conformance/syntax-error-cjs.cjs' },
  { name: 'an import of a package that is not installed', target: 'test/conformance/missing-package.mjs' },
  { name: 'a require of a module that does not exist', target: 'test/conformance/missing-require.cjs' },
  { name: 'a module that throws while loading', target: 'test/conformance/init-throws.mjs' },
  { name: 'console lines during init and the invocation', target: 'test/conformance/init-logs.mjs' },
  { name: 'a callback handler', target: 'test/conformance/callbacks.cjs#callback', event: { x: 1 } },
  { name: 'a callback handler failing', target: 'test/conformance/callbacks.cjs#callbackError' },
  { name: 'a callback result that waits for the event loop', target: 'test/conformance/callbacks.cjs#callbackWaits' },
  { name: 'callbackWaitsForEmptyEventLoop = false', target: 'test/conformance/callbacks.cjs#callbackNoWait' },
  { name: 'context.succeed', target: 'test/conformance/callbacks.cjs#succeed' },
  { name: 'context.fail', target: 'test/conformance/callbacks.cjs#fail' },
  { name: 'context.done', target: 'test/conformance/callbacks.cjs#done' },
  { name: 'a callback called twice', target: 'test/conformance/callbacks.cjs#callbackTwice' },
  { name: 'an async handler with a third parameter', target: 'test/conformance/callbacks.cjs#asyncWithCallbackParam' },
  { name: 'a warm sandbox: three invocations in a row', target: h('context'), args: ['--repeat', '3'] },
  {
    name: 'multi-concurrency: worker threads, invocations interleaved',
    target: h('concurrent'),
    args: ['--concurrency', '4'],
    env: { AWS_LAMBDA_NODEJS_WORKER_COUNT: '2' },
  },
  {
    name: 'multi-concurrency with AWS_LAMBDA_NODEJS_WORKER_COUNT=0 (no worker)',
    target: h('concurrent'),
    args: ['--concurrency', '2'],
    env: { AWS_LAMBDA_NODEJS_WORKER_COUNT: '0' },
  },
  {
    name: 'a callback handler under multi-concurrency (refused)',
    target: 'test/conformance/callbacks.cjs#callback',
    args: ['--concurrency', '2'],
    env: { AWS_LAMBDA_NODEJS_WORKER_COUNT: '1' },
  },
];
