import type { LocalSsmOperation, LocalSsmParameterType } from './local-ssm-types.js';
import { ServiceError } from './service-error.js';
import { ssmPage } from './ssm-page.js';
import type { SsmParameterStore, WireParameter } from './ssm-parameter-store.js';
import {
  MAX_DEPTH,
  optionalBoolean,
  requireString,
  TYPES,
  validateName,
  validateValue,
  validation,
} from './ssm-validation.js';

function getParametersByPath(store: SsmParameterStore, input: Record<string, unknown>): unknown {
  const path = requireString(input, 'Path');
  if (!path.startsWith('/'))
    throw validation(`Value '${path}' at 'path' failed to satisfy constraint: Member must start with /`);
  if (path.split('/').length - 1 > MAX_DEPTH)
    throw validation('The parameter path exceeds the maximum hierarchy depth of 15 levels.');
  const recursive = optionalBoolean(input, 'Recursive') ?? false;
  const decrypt = optionalBoolean(input, 'WithDecryption') ?? false;
  const base = path === '/' ? '/' : `${path.replace(/\/+$/, '')}/`;
  const matches = [...store.parameters.values()]
    .filter((p) => p.name.startsWith(base) && (recursive || !p.name.slice(base.length).includes('/')))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const { items, nextToken } = ssmPage(matches, input, { base, recursive });
  return {
    Parameters: items.map((p) => store.toWire(p, decrypt)),
    ...(nextToken === undefined ? {} : { NextToken: nextToken }),
  };
}

function getParameter(store: SsmParameterStore, input: Record<string, unknown>): unknown {
  const name = requireString(input, 'Name');
  const found = store.parameters.get(name);
  if (found === undefined) throw new ServiceError('ParameterNotFound', `Parameter ${name} not found.`);
  return { Parameter: store.toWire(found, optionalBoolean(input, 'WithDecryption') ?? false) };
}

function getParameters(store: SsmParameterStore, input: Record<string, unknown>): unknown {
  const names = input.Names;
  if (!Array.isArray(names) || names.some((n) => typeof n !== 'string')) {
    throw validation(
      "1 validation error detected: Value at 'names' failed to satisfy constraint: Member must not be null",
    );
  }
  if (names.length < 1 || names.length > 10) {
    throw validation(
      `1 validation error detected: Value at 'names' failed to satisfy constraint: Member must have length less than or equal to 10`,
    );
  }
  const decrypt = optionalBoolean(input, 'WithDecryption') ?? false;
  const found: WireParameter[] = [];
  const invalid: string[] = [];
  for (const name of new Set(names as string[])) {
    const p = store.parameters.get(name);
    if (p === undefined) invalid.push(name);
    else found.push(store.toWire(p, decrypt));
  }
  return { Parameters: found, InvalidParameters: invalid };
}

function putParameter(store: SsmParameterStore, input: Record<string, unknown>): unknown {
  const name = requireString(input, 'Name');
  const value = requireString(input, 'Value');
  validateName(name);
  validateValue(value);
  const existing = store.parameters.get(name);
  const rawType = input.Type ?? existing?.type;
  if (rawType === undefined) throw validation('A parameter type is required when you create a parameter.');
  if (typeof rawType !== 'string' || !TYPES.has(rawType)) {
    throw validation(
      `1 validation error detected: Value '${String(rawType)}' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [SecureString, StringList, String]`,
    );
  }
  const overwrite = optionalBoolean(input, 'Overwrite') ?? false;
  const version = store.put(name, rawType as LocalSsmParameterType, value, overwrite);
  return { Version: version, Tier: 'Standard' };
}

function deleteParameter(store: SsmParameterStore, input: Record<string, unknown>): unknown {
  const name = requireString(input, 'Name');
  if (!store.parameters.delete(name)) throw new ServiceError('ParameterNotFound', `Parameter ${name} not found.`);
  return {};
}

/** The SSM operations the local endpoint answers, each `(store, request body) => response body`. */
export const ssmOperations: Readonly<
  Record<LocalSsmOperation, (store: SsmParameterStore, input: Record<string, unknown>) => unknown>
> = {
  GetParametersByPath: getParametersByPath,
  GetParameter: getParameter,
  GetParameters: getParameters,
  PutParameter: putParameter,
  DeleteParameter: deleteParameter,
};
