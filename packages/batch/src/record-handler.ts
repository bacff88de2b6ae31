import type { RecordContext } from './record-context.js';

/** A per-record handler: gets the parsed record and its `ctx`; a throw (or rejection) fails that record only. */
export type RecordHandler<R, C = {}> = (record: R, ctx: RecordContext<C>) => unknown;
