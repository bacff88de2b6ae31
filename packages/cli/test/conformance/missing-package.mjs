import 'lambdakit-no-such-package';

export const handler = async () => 'unreachable';
