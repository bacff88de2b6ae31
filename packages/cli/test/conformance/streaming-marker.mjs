// Marks the handler for a streaming mode Lambda does not have.
const handler = async () => 'unreachable';
handler[Symbol.for('aws.lambda.runtime.handler.streaming')] = 'request';

export { handler };
