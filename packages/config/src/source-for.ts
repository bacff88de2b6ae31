import { ConfigSource, type Fetcher } from './config-source.js';

const sources = new WeakMap<object, Map<string, ConfigSource>>();

/** The one source per client (or region key) and key (the client fixes region and account), created by `create` on first use. */
export function sourceFor(client: object, key: string, create: () => Fetcher): ConfigSource {
  let byKey = sources.get(client);
  if (byKey === undefined) {
    byKey = new Map();
    sources.set(client, byKey);
  }
  let source = byKey.get(key);
  if (source === undefined) {
    source = new ConfigSource(create());
    byKey.set(key, source);
  }
  return source;
}
