import { CliError } from './cli-error.js';

/**
 * The text without a UTF-8 byte order mark, which some editors write at the start of a file and
 * `JSON.parse` rejects (and which is not part of an event).
 */
export function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * Parses JSON read from `source` (a file name or `stdin`); a syntax error becomes a
 * {@link CliError} naming the source, line and column, so a user can jump to the mistake.
 */
export function parseJson(text: string, source: string): unknown {
  const body = withoutBom(text);
  if (body.trim() === '') throw new CliError(`${source}: empty input, expected JSON`, { file: source });
  try {
    return JSON.parse(body);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new CliError(`${source}: invalid JSON at ${lineColumn(body, errorOffset(body))}: ${firstClause(message)}`, {
      file: source,
      cause: error,
    });
  }
}

function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  return `line ${before.split('\n').length} column ${offset - before.lastIndexOf('\n')}`;
}

function firstClause(message: string): string {
  // V8's wording varies by Node version ("at position N", "(line L column C)", a quoted excerpt);
  // the location is given separately, so keep only what went wrong.
  return message
    .replace(/\s*(in JSON )?at position \d+.*$/s, '')
    .replace(/, ".*" is not valid JSON$/s, '')
    .replace(/\s*\(line \d+ column \d+\)$/, '');
}

/** Thrown by the scanner below with the offset where the text stops being JSON. */
class Stop {
  constructor(readonly offset: number) {}
}

/**
 * The offset of the first character that makes `text` invalid JSON. V8 does not always report
 * it (Node 20 omits it for "Unexpected token"), so a small scanner finds it: it only runs on
 * text JSON.parse already rejected.
 */
function errorOffset(text: string): number {
  let i = 0;
  const stop = (at = i): never => {
    throw new Stop(at);
  };
  const skipSpace = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const expect = (ch: string) => {
    if (text[i] !== ch) stop();
    i++;
  };
  const literal = (word: string) => {
    for (const ch of word) expect(ch);
  };
  const string = () => {
    expect('"');
    for (;;) {
      const ch = text[i];
      if (ch === undefined || ch < ' ') stop();
      if (ch === '"') {
        i++;
        return;
      }
      if (ch === '\\') {
        const escaped = text[i + 1];
        if (escaped === 'u') {
          for (let k = 2; k <= 5; k++) if (!/[0-9a-fA-F]/.test(text[i + k] ?? '')) stop(i + k);
          i += 6;
          continue;
        }
        if (escaped === undefined || !'"\\/bfnrt'.includes(escaped)) stop(i + 1);
        i += 2;
        continue;
      }
      i++;
    }
  };
  const number = () => {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (match === null) stop();
    i += match![0].length;
  };
  const value = (): void => {
    skipSpace();
    const ch = text[i];
    if (ch === '{') {
      i++;
      skipSpace();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        skipSpace();
        string();
        skipSpace();
        expect(':');
        value();
        skipSpace();
        if (text[i] === '}') {
          i++;
          return;
        }
        expect(',');
      }
    }
    if (ch === '[') {
      i++;
      skipSpace();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value();
        skipSpace();
        if (text[i] === ']') {
          i++;
          return;
        }
        expect(',');
      }
    }
    if (ch === '"') string();
    else if (ch === 't') literal('true');
    else if (ch === 'f') literal('false');
    else if (ch === 'n') literal('null');
    else if (ch === '-' || (ch !== undefined && ch >= '0' && ch <= '9')) number();
    else stop();
  };
  try {
    value();
    skipSpace();
    return Math.min(i, text.length);
  } catch (error) {
    if (error instanceof Stop) return Math.min(error.offset, text.length);
    throw error;
  }
}
