/**
 * CloudWatch Logs accepts events of at most 262,144 bytes, counting 26 bytes of overhead per
 * event; Lambda splits a longer line into several events, and the JSON in each no longer parses.
 */
export const DEFAULT_MAX_LINE_BYTES = 262_144 - 26;

/** Values whose JSON is at most this long are kept whole when a line is cut down. */
const SMALL_VALUE_BYTES = 1024;

const encoder = new TextEncoder();

/** The longest prefix of `text` that fits in `maxBytes` of UTF-8, never splitting a character. */
export function cutToBytes(text: string, maxBytes: number): string {
  if (maxBytes <= 0) return '';
  if (text.length * 3 <= maxBytes) return text;
  const { read } = encoder.encodeInto(text, new Uint8Array(maxBytes));
  return text.slice(0, read);
}

/**
 * Cuts a JSON line (ending in a newline) down to `maxBytes` and keeps it one JSON object: small
 * fields are kept whole, the message and the largest fields are cut to what room is left, and
 * `"truncated": true, "originalBytes": n` mark it. A line that is not a JSON object is wrapped.
 */
export function truncateLine(line: string, maxBytes: number): string {
  const originalBytes = Buffer.byteLength(line);
  if (originalBytes <= maxBytes) return line;
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    parsed = undefined;
  }
  const marker = { truncated: true, originalBytes };
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return fitWrapped(line, marker, maxBytes);
  }
  const fields = parsed as Record<string, unknown>;
  const small: Record<string, unknown> = {};
  const large: [string, string][] = [];
  for (const [key, value] of Object.entries(fields)) {
    const json = JSON.stringify(value);
    if (json.length <= SMALL_VALUE_BYTES / 3 || Buffer.byteLength(json) <= SMALL_VALUE_BYTES) small[key] = value;
    else large.push([key, typeof value === 'string' ? value : json]);
  }
  // The message first, then the smallest of the large fields: as many of them readable as fit.
  large.sort(([a, av], [b, bv]) => (a === 'message' ? -1 : b === 'message' ? 1 : av.length - bv.length));
  const out: Record<string, unknown> = { ...small, ...marker };
  for (const [key] of large) out[key] = '';
  let room = maxBytes - Buffer.byteLength(`${JSON.stringify(out)}\n`);
  for (const [key, text] of large) {
    if (room <= 0) break;
    const cut = cutEscaped(text, room);
    out[key] = cut;
    room -= Buffer.byteLength(JSON.stringify(cut)) - 2;
  }
  const result = `${JSON.stringify(out)}\n`;
  // Too many small fields to fit even whole: keep only what identifies the line.
  return Buffer.byteLength(result) <= maxBytes ? result : fitWrapped(line, marker, maxBytes, fields);
}

/** The last resort: level, timestamp, request id and the start of the raw line as `message`. */
function fitWrapped(line: string, marker: object, maxBytes: number, fields?: Record<string, unknown>): string {
  const out: Record<string, unknown> = {};
  for (const key of ['level', 'timestamp', 'requestId', 'correlationId']) {
    const value = fields?.[key];
    if (typeof value === 'string' && value.length <= 200) out[key] = value;
  }
  Object.assign(out, marker, { message: '' });
  out.message = cutEscaped(line.trimEnd(), maxBytes - Buffer.byteLength(`${JSON.stringify(out)}\n`));
  return `${JSON.stringify(out)}\n`;
}

/**
 * The longest prefix of `text` whose JSON string form (quotes aside) fits in `room` bytes. Escaping
 * only grows text, so cutting the source by the excess always makes progress.
 */
function cutEscaped(text: string, room: number): string {
  let target = room;
  for (;;) {
    const cut = cutToBytes(text, target);
    const excess = Buffer.byteLength(JSON.stringify(cut)) - 2 - room;
    if (excess <= 0 || cut.length === 0) return cut;
    target = Buffer.byteLength(cut) - excess;
  }
}
