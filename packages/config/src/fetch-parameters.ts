import { GetParametersByPathCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { ConfigError } from './config-error.js';
import type { RawParameter } from './config-tree.js';

// SSM: GetParametersByPath returns at most 10 parameters per page.
const PAGE_SIZE = 10;

/**
 * The most parameters one function's configuration may have: SSM's standard-tier limit for a
 * whole account and region. Read at every cold start, one request per 10 parameters, so this
 * is already 1,000 requests in a row; more means a tree that was never meant as one function's
 * configuration, or a server that never stops handing out pages.
 */
export const MAX_PARAMETERS = 10_000;
/** The largest parameter value read, in bytes: 8× SSM's own limit (4 KB standard, 8 KB advanced tier). */
export const MAX_PARAMETER_VALUE_BYTES = 65_536;
/** The most bytes of values one configuration may hold in all. */
export const MAX_CONFIG_BYTES = 16 * 1024 * 1024;

/**
 * Reads every parameter below `path`, recursively, following `NextToken` through every page,
 * within the limits above: past one, a `CONFIG_TOO_LARGE` {@link ConfigError} (never retried)
 * names the limit and, for a value, the parameter.
 */
export async function fetchParameters(
  client: SSMClient,
  path: string,
  decrypt: boolean,
  signal: AbortSignal,
): Promise<RawParameter[]> {
  const parameters: RawParameter[] = [];
  let bytes = 0;
  let token: string | undefined;
  for (;;) {
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
      if (typeof p.Name !== 'string' || typeof p.Value !== 'string') continue;
      const size = Buffer.byteLength(p.Value);
      if (size > MAX_PARAMETER_VALUE_BYTES) {
        throw tooLarge(
          path,
          `the value of ${p.Name} is ${size} bytes; a configuration value is at most ${MAX_PARAMETER_VALUE_BYTES} (SSM's own limit is 8 KB)`,
        );
      }
      bytes += size;
      if (bytes > MAX_CONFIG_BYTES) {
        throw tooLarge(path, `its values add up to more than ${MAX_CONFIG_BYTES} bytes`);
      }
      if (parameters.length === MAX_PARAMETERS) {
        throw tooLarge(
          path,
          `it holds more than ${MAX_PARAMETERS} parameters (read at every cold start, 10 per request); give the function a path of its own`,
        );
      }
      parameters.push({ name: p.Name, type: p.Type, value: p.Value });
    }
    if (!output.NextToken) return parameters;
    if (output.NextToken === token) throw new Error(`SSM returned the same NextToken twice for ${path}`);
    token = output.NextToken;
  }
}

function tooLarge(path: string, why: string): ConfigError {
  return new ConfigError('CONFIG_TOO_LARGE', `The configuration at SSM path ${path} is too large: ${why}`, { path });
}
