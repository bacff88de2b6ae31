import { GetParametersByPathCommand, type SSMClient } from '@aws-sdk/client-ssm';
import type { RawParameter } from './config-tree.js';

// SSM: GetParametersByPath returns at most 10 parameters per page.
const PAGE_SIZE = 10;
// A standard-tier account holds at most 10,000 parameters per region: more pages than that
// means a server that never stops handing out tokens.
const MAX_PAGES = 1000;

/** Reads every parameter below `path`, recursively, following `NextToken` through every page. */
export async function fetchParameters(
  client: SSMClient,
  path: string,
  decrypt: boolean,
  signal: AbortSignal,
): Promise<RawParameter[]> {
  const parameters: RawParameter[] = [];
  let token: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const output = await client.send(
      new GetParametersByPathCommand({
        Path: path,
        Recursive: true,
        WithDecryption: decrypt,
        MaxResults: PAGE_SIZE,
        ...(token === undefined ? {} : { NextToken: token }),
      }),
      { abortSignal: signal },
    );
    for (const p of output.Parameters ?? []) {
      if (typeof p.Name === 'string' && typeof p.Value === 'string') {
        parameters.push({ name: p.Name, type: p.Type, value: p.Value });
      }
    }
    if (!output.NextToken) return parameters;
    if (output.NextToken === token) throw new Error(`SSM returned the same NextToken twice for ${path}`);
    token = output.NextToken;
  }
  throw new Error(`SSM returned more than ${MAX_PAGES} pages for ${path}`);
}
