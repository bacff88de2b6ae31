/**
 * JSON with object keys sorted at every level, so equal data always gives the same text
 * whatever order its keys were built in. Follows `JSON.stringify` otherwise (`toJSON`,
 * `undefined` members dropped, non-finite numbers as `null`); `undefined` for a value JSON
 * cannot represent at top level. Throws `TypeError` on cycles and BigInt, as `JSON.stringify` does.
 */
export function canonicalJson(value: unknown): string | undefined {
  return write(value, '', new Set());
}

function write(input: unknown, key: string, ancestors: Set<object>): string | undefined {
  let value = input;
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    value = (value as { toJSON: (key: string) => unknown }).toJSON(key);
  }
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? JSON.stringify(value) : 'null';
    case 'bigint':
      throw new TypeError('canonicalJson: a BigInt cannot be serialised to JSON');
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
  }
  if (value === null) return 'null';
  const object = value as object;
  if (ancestors.has(object)) throw new TypeError('canonicalJson: the value contains a cycle');
  ancestors.add(object);
  let text: string;
  if (Array.isArray(object)) {
    const items: string[] = [];
    // An index loop, not map(): holes of a sparse array are `null` in JSON, and map skips them.
    for (let index = 0; index < object.length; index++) {
      items.push(write(object[index], String(index), ancestors) ?? 'null');
    }
    text = `[${items.join(',')}]`;
  } else {
    const members: string[] = [];
    // Sorted by UTF-16 code units (Array#sort's default): stable across engines and locales.
    for (const name of Object.keys(object).sort()) {
      const member = write((object as Record<string, unknown>)[name], name, ancestors);
      if (member !== undefined) members.push(`${JSON.stringify(name)}:${member}`);
    }
    text = `{${members.join(',')}}`;
  }
  ancestors.delete(object);
  return text;
}
