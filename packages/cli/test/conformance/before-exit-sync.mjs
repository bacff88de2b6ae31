// A synchronous handler beside a `beforeExit` listener of the function's own. Under nodejs22.x
// the runtime answers from its own `beforeExit` listener (null: a synchronous handler's value is
// ignored there), which runs before the function's. The function's listener prints nothing: a
// line printed after the answer is sent races the end of the run, under either runtime client.
let beforeExitRuns = 0;
process.on('beforeExit', () => {
  beforeExitRuns += 1;
});

export const handler = () => ({ ignoredBy: 'nodejs22.x', beforeExitRuns });
