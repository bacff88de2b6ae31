// Callback-style handlers: run by nodejs22.x, refused at init by nodejs24.x.
exports.callback = (event, _context, callback) => {
  callback(null, { via: 'callback', event });
};
exports.callbackError = (_event, _context, callback) => {
  callback(new Error('callback error'));
};
exports.callbackWaits = (_event, _context, callback) => {
  // The result waits for the event loop to empty: the timer runs (and logs) first.
  setTimeout(() => console.log('timer ran before the answer'), 100);
  callback(null, { waited: 'until the timer ran' });
};
exports.callbackNoWait = (_event, context, callback) => {
  context.callbackWaitsForEmptyEventLoop = false;
  setTimeout(() => undefined, 60_000).unref();
  setTimeout(() => undefined, 300);
  callback(null, { waited: false });
};
exports.succeed = (_event, context) => {
  context.succeed({ via: 'context.succeed' });
};
exports.fail = (_event, context) => {
  context.fail(new Error('via context.fail'));
};
exports.done = (_event, context) => {
  context.done(null, { via: 'context.done' });
};
exports.callbackTwice = (_event, _context, callback) => {
  callback(null, 'first');
  callback(null, 'second');
};
exports.asyncWithCallbackParam = async (_event, _context, _callback) => ({ async: true });
