exports.handler = async (event) => ({ module: 'commonjs', event });
