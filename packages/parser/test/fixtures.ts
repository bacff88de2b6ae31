// What the catalogue (./catalogue.ts, the events AWS sends) does not hold: the encoding tests use to
// build CloudWatch Logs events of their own, broken ones included.
import { gzipSync } from 'node:zlib';

/** base64(gzip(JSON)) the way CloudWatch Logs subscriptions encode `awslogs.data`. */
export const encodeLogs = (data: unknown) => gzipSync(JSON.stringify(data)).toString('base64');
