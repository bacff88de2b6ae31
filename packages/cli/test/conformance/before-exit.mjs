// A `beforeExit` listener of the function's own, and when it runs relative to the answer.
let beforeExitRuns = 0;
process.on('beforeExit', () => {
  beforeExitRuns += 1;
  console.log(`beforeExit ${beforeExitRuns}`);
});

export const handler = async () => ({ beforeExitRuns });
