const handler = async () => ({ module: 'module.exports object' });
module.exports = { handler };
