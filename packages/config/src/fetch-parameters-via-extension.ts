import type { RawParameter } from './config-tree.js';
import { MAX_PARAMETER_VALUE_BYTES, tooLarge } from './fetch-parameters.js';
import { type ExtensionAddress, ExtensionError, extensionGet } from './fetch-via-extension.js';

/**
 * A function's parameters through Lambda's Parameters and Secrets extension (its local cache of
 * `GetParameter`): the extension serves one parameter by name and nothing by path, so the names are
 * the schema's key paths under `path`, and under `{path}/{qualifier}` for the qualifier's overrides;
 * all asked for at once. A parameter that does not exist is absent, as when read by path.
 */
export async function fetchParametersViaExtension(
  address: ExtensionAddress,
  path: string,
  qualifier: string | undefined,
  leafPaths: readonly (readonly string[])[],
  decrypt: boolean,
  signal: AbortSignal | undefined,
): Promise<RawParameter[]> {
  const bases = qualifier === undefined ? [path] : [path, `${path}/${qualifier}`];
  const names = bases.flatMap((base) => leafPaths.map((leaf) => `${base}/${leaf.join('/')}`));
  const answers = await Promise.all(
    names.map((name) =>
      extensionGet(
        address,
        `/systemsmanager/parameters/get?name=${encodeURIComponent(name)}&withDecryption=${decrypt}`,
        signal,
      ).then((answer) => ({ name, answer })),
    ),
  );
  const parameters: RawParameter[] = [];
  for (const { name, answer } of answers) {
    if ((answer.status === 400 || answer.status === 404) && answer.body.includes('ParameterNotFound')) continue;
    if (answer.status !== 200) throw new ExtensionError(answer.status, answer.body, `parameter ${name}`);
    parameters.push(parameterOf(path, name, answer.body));
  }
  return parameters;
}

/** The parameter in the extension's answer (the body of `GetParameter`). */
function parameterOf(path: string, name: string, body: string): RawParameter {
  let parsed: { Parameter?: { Name?: unknown; Type?: unknown; Value?: unknown } };
  try {
    parsed = JSON.parse(body) as typeof parsed;
  } catch {
    throw new ExtensionError(502, 'not JSON', `parameter ${name}`);
  }
  const { Type: type, Value: value } = parsed.Parameter ?? {};
  if (typeof value !== 'string') throw new ExtensionError(502, 'no Parameter.Value in the answer', `parameter ${name}`);
  const size = Buffer.byteLength(value);
  if (size > MAX_PARAMETER_VALUE_BYTES) {
    throw tooLarge(
      path,
      `the value of ${name} is ${size} bytes; a configuration value is at most ${MAX_PARAMETER_VALUE_BYTES}`,
    );
  }
  return { name, type: typeof type === 'string' ? type : undefined, value };
}
