import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { UNREADABLE, type WireProtocol } from './wire-protocol.js';

type Node = { [key: string]: Node | string };

/**
 * The form parameters of a query request as the structure they flatten: `A.B=1` nests, a
 * `member.N` list becomes an array and an `entry.N.Name` / `entry.N.Value` map an object, in the
 * order of N. Built on null-prototype objects: a key like `__proto__` is only a key.
 */
export function unflatten(params: URLSearchParams): Record<string, unknown> | typeof UNREADABLE {
  const root: Node = Object.create(null);
  for (const [key, value] of params) {
    const path = key.split('.');
    let node = root;
    for (let i = 0; i < path.length - 1; i++) {
      const part = path[i]!;
      let next = node[part];
      if (typeof next === 'string') return UNREADABLE; // `A=1&A.B=2`
      if (next === undefined) {
        next = Object.create(null) as Node;
        node[part] = next;
      }
      node = next;
    }
    const last = path[path.length - 1]!;
    if (typeof node[last] === 'object') return UNREADABLE;
    node[last] = value;
  }
  return shape(root) as Record<string, unknown>;
}

function numbered(node: Node): (Node | string)[] | undefined {
  const keys = Object.keys(node);
  if (!keys.every((k) => /^[1-9]\d{0,3}$/.test(k))) return undefined;
  return keys
    .map(Number)
    .sort((a, b) => a - b)
    .map((k) => node[String(k)]!);
}

function shape(node: Node | string): unknown {
  if (typeof node === 'string') return node;
  const keys = Object.keys(node);
  if (keys.length === 1 && keys[0] === 'member' && typeof node.member === 'object') {
    return (numbered(node.member) ?? []).map(shape);
  }
  if (keys.length === 1 && keys[0] === 'entry' && typeof node.entry === 'object') {
    const map: Record<string, unknown> = {};
    for (const entry of numbered(node.entry) ?? []) {
      if (typeof entry === 'string') continue;
      const name = entry.Name ?? entry.key;
      if (typeof name === 'string')
        Object.defineProperty(map, name, {
          value: shape(entry.Value ?? entry.value ?? ''),
          enumerable: true,
          writable: true,
          configurable: true,
        });
    }
    return map;
  }
  const out: Record<string, unknown> = {};
  for (const key of keys)
    Object.defineProperty(out, key, { value: shape(node[key]!), enumerable: true, writable: true, configurable: true });
  return out;
}

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => XML_ESCAPES[c]!);
}

/** `value` as the query protocol's XML: objects as elements, lists as `member` elements. */
export function toXml(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map((item) => `<member>${toXml(item)}</member>`).join('');
  if (typeof value === 'object') {
    return Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `<${k}>${toXml(v)}</${k}>`)
      .join('');
  }
  return escapeXml(String(value));
}

function writeXml(res: ServerResponse, status: number, xml: string, requestId: string): void {
  const text = `<?xml version="1.0"?>\n${xml}`;
  res.writeHead(status, {
    'content-type': 'text/xml',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': requestId,
  });
  res.end(text);
}

/** The query protocol (`POST /`, a form body with `Action`, XML answers) of `namespace` (`http://sns.amazonaws.com/doc/2010-03-31/`). */
export function queryProtocol(namespace: string): WireProtocol {
  return {
    read(req, raw) {
      const type = String(req.headers['content-type'] ?? '');
      if (req.method !== 'POST' || !type.startsWith('application/x-www-form-urlencoded')) {
        return { operation: `${req.method} ${type}`, input: {} };
      }
      const params = new URLSearchParams(raw);
      return { operation: params.get('Action') ?? '', input: unflatten(params) };
    },
    answer(res, status, body, operation) {
      const id = randomUUID();
      const result = body === undefined ? '' : `<${operation}Result>${toXml(body)}</${operation}Result>`;
      const xml = `<${operation}Response xmlns="${namespace}">${result}<ResponseMetadata><RequestId>${id}</RequestId></ResponseMetadata></${operation}Response>`;
      writeXml(res, status, xml, id);
      return undefined;
    },
    error(res, status, type, message) {
      const id = randomUUID();
      const side = status >= 500 ? 'Receiver' : 'Sender';
      const xml = `<ErrorResponse xmlns="${namespace}"><Error><Type>${side}</Type><Code>${escapeXml(type)}</Code><Message>${escapeXml(message)}</Message></Error><RequestId>${id}</RequestId></ErrorResponse>`;
      writeXml(res, status, xml, id);
    },
    unreadable: ['MalformedQueryString', 'The query string is malformed.'],
    unknownOperation: 'InvalidAction',
  };
}
