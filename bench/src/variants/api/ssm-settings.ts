// Hand-written memoized configuration for the bare and Middy variants: what a careful user
// writes without a toolkit. Started at module load so the SSM round trip overlaps init,
// awaited on first use, read again only if the first load failed.
import { GetParametersByPathCommand, SSMClient } from '@aws-sdk/client-ssm';
import { type Settings, Settings as SettingsSchema, ssmPath } from '../order.js';

const ssm = new SSMClient({});

async function load(): Promise<Settings> {
  const raw: Record<string, string> = {};
  let NextToken: string | undefined;
  do {
    const page = await ssm.send(
      new GetParametersByPathCommand({ Path: ssmPath, Recursive: true, WithDecryption: true, NextToken }),
    );
    for (const p of page.Parameters ?? []) {
      if (p.Name !== undefined && p.Value !== undefined) raw[p.Name.slice(ssmPath.length)] = p.Value;
    }
    NextToken = page.NextToken;
  } while (NextToken !== undefined);
  return SettingsSchema.parse(raw);
}

let pending: Promise<Settings> = load();
pending.catch(() => {}); // surfaced on first use, not as an unhandled rejection at init

/** The function's settings, loaded once per sandbox. */
export function settings(): Promise<Settings> {
  return pending.catch(() => {
    pending = load();
    return pending;
  });
}
