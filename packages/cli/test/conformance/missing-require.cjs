require('./no-such-module');

exports.handler = async () => 'unreachable';
