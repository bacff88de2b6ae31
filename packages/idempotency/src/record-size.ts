import type { AttributeValue } from '@aws-sdk/client-dynamodb';

/** DynamoDB's item size limit: 400 KB, attribute names and values together. */
export const DYNAMODB_MAX_ITEM_BYTES = 400 * 1024;

/**
 * The size of a DynamoDB item as DynamoDB counts it against the 400 KB limit: each attribute
 * name's UTF-8 length plus its value (strings in UTF-8 bytes, binary in raw bytes, numbers
 * about one byte per two significant digits plus one). Rounded up where DynamoDB is vague.
 */
export function recordSize(item: Record<string, AttributeValue>): number {
  let size = 0;
  for (const [name, value] of Object.entries(item)) {
    size += Buffer.byteLength(name, 'utf8');
    if (value.S !== undefined) size += Buffer.byteLength(value.S, 'utf8');
    else if (value.B !== undefined) size += value.B.byteLength;
    else if (value.N !== undefined) size += numberSize(value.N);
    else throw new TypeError(`recordSize: unsupported attribute type for ${name}`);
  }
  return size;
}

function numberSize(text: string): number {
  const digits = text
    .replace(/^-/, '')
    .replace(/[.eE].*$/, '')
    .replace(/^0+/, '')
    .replace(/0+$/, '');
  // +2: the length byte and an upper bound for an odd exponent; +1 for a sign.
  return Math.ceil(Math.max(digits.length, 1) / 2) + 2 + (text.startsWith('-') ? 1 : 0);
}
