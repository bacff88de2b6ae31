// What a region's shared client is cached under before the client exists (it is created on first read).
const regionKeys = new Map<string, object>();

/** A stable object per region, to key the sources read through that region's shared client. */
export function regionKey(region: string): object {
  let key = regionKeys.get(region);
  if (key === undefined) {
    key = Object.freeze({ region });
    regionKeys.set(region, key);
  }
  return key;
}

/**
 * The region's shared client, created on first use with the SDK's retries off (lambdakit retries
 * within the invocation's deadline), its package loaded then: a function that reads no secret
 * never loads it. A failed load (the package missing) is not kept: the next read tries again.
 */
export function sharedClient<C>(
  clients: Map<string, Promise<C>>,
  region: string,
  create: (region: string) => Promise<C>,
): Promise<C> {
  let client = clients.get(region);
  if (client === undefined) {
    client = create(region);
    client.catch(() => clients.delete(region));
    clients.set(region, client);
  }
  return client;
}
