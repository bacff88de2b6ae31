// Handlers the conformance suite runs under lambdakit's runtime and AWS's runtime interface
// client, side by side. Each shows one behaviour a caller can see.

/** The context a handler gets: its keys in order, and the type of each value. */
export const context = async (_event, context) => ({
  keys: Object.keys(context),
  types: Object.fromEntries(Object.entries(context).map(([key, value]) => [key, typeof value])),
  hasClientContext: 'clientContext' in context,
  memoryLimitInMB: context.memoryLimitInMB,
  remainingIsPositive: context.getRemainingTimeInMillis() > 0,
  waitsForEmptyEventLoop: context.callbackWaitsForEmptyEventLoop,
  traceHeader: /^Root=1-[0-9a-f]{8}-[0-9a-f]{24}/.test(process.env._X_AMZN_TRACE_ID ?? ''),
  requestIdMatches: context.awsRequestId.length === 36,
});

export const echo = async (event) => event;
export const returnsUndefined = async () => undefined;
export const returnsString = async () => 'plain text';
export const returnsNumber = async () => 42;
export const syncReturn = (event) => ({ sync: true, event });
// biome-ignore lint/suspicious/noThenProperty: a thenable that is not a Promise is the case under test
export const thenable = () => ({ then: (resolve) => resolve({ thenable: true }) });
export const cyclic = async () => {
  const value = { name: 'loop' };
  value.self = value;
  return value;
};
export const bigint = async () => ({ amount: 10n });
export const withToJson = async () => ({ toJSON: () => ({ replaced: true }) });

export const throwsError = async () => {
  throw new Error('something failed');
};
export const throwsWithCause = async () => {
  throw new Error('outer failure', { cause: new Error('inner failure') });
};
class OrderRejected extends Error {
  constructor(orderId) {
    super(`order ${orderId} rejected`);
    this.name = 'OrderRejected';
    this.code = 'ORDER_REJECTED';
    this.orderId = orderId;
  }
}
export const throwsCustom = async () => {
  throw new OrderRejected('o-9');
};
export const throwsString = async () => {
  throw 'a string';
};
export const throwsNull = async () => {
  throw null;
};
export const throwsUndefined = async () => {
  throw undefined;
};
export const throwsObject = async () => {
  throw { code: 42, reason: 'plain object' };
};
export const throwsErrorLike = async () => {
  throw {
    name: 'LooksLikeError',
    message: 'not an Error instance',
    stack: 'LooksLikeError: not an Error instance\n    at nowhere',
  };
};
export const rejectsNumber = () => Promise.reject(7);
export const syncThrows = () => {
  throw new TypeError('thrown before any promise');
};
export const delInMessage = async () => {
  throw new Error('bad\x7Fbyte');
};
export const nameless = async () => {
  const error = new Error('no name');
  error.name = undefined;
  throw error;
};

export const uncaughtInTimer = async () => {
  setTimeout(() => {
    throw new Error('boom in a timer');
  }, 0);
  await new Promise((resolve) => setTimeout(resolve, 1500));
  return 'not reached';
};
export const unhandledRejection = async () => {
  Promise.reject(new RangeError('forgotten promise'));
  await new Promise((resolve) => setTimeout(resolve, 1500));
  return 'not reached';
};
export const exits = async () => {
  process.exit(3);
};

export const largeResult = async (event) => ({ data: 'x'.repeat(event.bytes) });

export const logs = async (event) => {
  console.log('plain line');
  console.log('with %s and %d', 'format', 42);
  console.info({ nested: { value: 1 } });
  console.warn('two\nlines');
  console.error(new Error('logged, not thrown'));
  console.debug('debug line');
  console.trace('trace line');
  return { logged: event.note ?? true };
};

export const nested = { orders: { create: async () => ({ nested: 'orders.create' }) } };
export const notAFunction = { handler: 'nope' };
export const falsy = 0;

/** Several invocations at once (multi-concurrency): each one's request id stays its own. */
export const concurrent = async (_event, context) => {
  await new Promise((resolve) => setTimeout(resolve, 50));
  return { maxConcurrency: process.env.AWS_LAMBDA_MAX_CONCURRENCY, ownRequestId: context.awsRequestId.length };
};

export const streamed = awslambda.streamifyResponse(async (_event, responseStream) => {
  responseStream.setContentType('text/plain');
  responseStream.write('first chunk;');
  responseStream.write({ second: 'chunk' });
  responseStream.end(';last');
});

export const streamedHttp = awslambda.streamifyResponse(async (_event, responseStream) => {
  const stream = awslambda.HttpResponseStream.from(responseStream, { statusCode: 201, headers: { 'x-a': 'b' } });
  stream.write('created');
  stream.end();
});

// What @lambdakit/http's streaming() does for a response without a body: an empty write sends the prelude.
export const streamedHttpEmpty = awslambda.streamifyResponse(async (_event, responseStream) => {
  const stream = awslambda.HttpResponseStream.from(responseStream, { statusCode: 204, headers: { 'x-a': 'b' } });
  stream.write('');
  stream.end();
});

export const streamFails = awslambda.streamifyResponse(async (_event, responseStream) => {
  responseStream.write('partial');
  throw new Error('failed while streaming');
});

/** A promise that never settles while nothing else keeps the event loop alive. */
export const neverSettles = () => new Promise(() => {});
/** Work still pending when the result is returned: the answer does not wait for it. */
export const pendingTimer = async () => {
  setTimeout(() => console.log('timer after the answer'), 200);
  return { answered: 'before the timer' };
};

/** The stream object a streaming handler gets: its members, their types, and what `end` does with an encoding. */
export const streamShape = awslambda.streamifyResponse(async (_event, responseStream) => {
  const shape = {
    keys: Object.keys(responseStream),
    types: ['setHeader', 'pipe', 'socket', 'writableFinished', 'writable', 'destroyed'].map(
      (name) => typeof responseStream[name],
    ),
    httpResponseStream: typeof awslambda.HttpResponseStream,
  };
  responseStream.write(JSON.stringify(shape));
  responseStream.end('aGVsbG8=', 'base64');
});

export const contentTypeTooLate = awslambda.streamifyResponse(async (_event, responseStream) => {
  responseStream.write('first');
  responseStream.setContentType('text/plain');
  responseStream.end();
});

export const nonAsciiStream = awslambda.streamifyResponse(async (_event, responseStream) => {
  responseStream.write('café ');
  responseStream.end(Buffer.from([0xe2, 0x82, 0xac, 0x00, 0xff]));
});

export const destroyedStream = awslambda.streamifyResponse(async (_event, responseStream) => {
  responseStream.write('partial');
  await new Promise((resolve) => setTimeout(resolve, 20));
  responseStream.destroy();
});

export const nullStack = async () => {
  const error = new Error('stack set to null');
  error.stack = null;
  throw error;
};
export const nullName = async () => {
  const error = new Error('name set to null');
  error.name = null;
  throw error;
};
export const twoRejections = async () => {
  Promise.reject(new Error('first forgotten'));
  Promise.reject(new Error('second forgotten'));
  await new Promise((resolve) => setTimeout(resolve, 1500));
  return 'not reached';
};
