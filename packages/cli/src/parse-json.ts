import { CliError } from './cli-error.js';

/**
 * The text without a UTF-8 byte order mark, which some editors write at the start of a file and
 * `JSON.parse` rejects (and which is not part of an event).
 */
export function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * Parses JSON the user hands the CLI (an event, a seed file) read from `source` (a file name or
 * `stdin`); a syntax error becomes a {@link CliError} naming the source, line and column, so a user
 * can jump to the mistake. Not @lambdakit/parser's `parseJson`, which parses what a function
 * receives: bounded in size and depth, `__proto__` dropped, and an error that neither quotes nor
 * locates the input, since it may reach an HTTP response. Here the input is the user's own file.
 */
export function parseJson(text: string, source: string): unknown {
  const body = withoutBom(text);
  if (body.trim() === '')
    throw new CliError('CLI_INVALID_INPUT', `${source}: empty input, expected JSON`, { file: source });
  try {
    return JSON.parse(body);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const where = lineColumn(body, errorOffset(body, error));
    throw new CliError('CLI_INVALID_INPUT', `${source}: invalid JSON at ${where}: ${firstClause(message)}`, {
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

/**
 * The offset of the first character that makes `text` invalid JSON, `JSON.parse` having thrown
 * `error` for it. V8 names the position ("in JSON at position 14"; its "(line 3 column 3)", Node
 * 22 and later, counts a lone CR as a line break, so the position is the one read) except for an
 * unexpected token and the end of the input: then it is where the longest prefix of `text` that
 * could still begin a JSON text ends.
 */
function errorOffset(text: string, error: unknown): number {
  const position = positionOf(error);
  return position === undefined ? viablePrefixLength(text) : Math.min(position, text.length);
}

/** The position a `JSON.parse` SyntaxError names, if it names one. */
function positionOf(error: unknown): number | undefined {
  const match = error instanceof SyntaxError ? / at position (\d+)/.exec(error.message) : null;
  return match === null ? undefined : Number(match[1]);
}

/**
 * The length of the longest prefix of `text` that some text could complete into JSON, with
 * `JSON.parse` as the judge: a prefix qualifies when it parses, or when the parser ran out of input
 * (it names no position but says so, or names the prefix's end). Such prefixes are each other's
 * prefixes, so a binary search finds the longest in a few parses; only a rejected text pays them.
 */
function viablePrefixLength(text: string): number {
  let viable = 0;
  let refused = text.length + 1;
  while (refused - viable > 1) {
    const middle = Math.floor((viable + refused) / 2);
    if (couldBeginJson(text.slice(0, middle))) viable = middle;
    else refused = middle;
  }
  return viable;
}

function couldBeginJson(prefix: string): boolean {
  try {
    JSON.parse(prefix);
    return true;
  } catch (error) {
    const position = positionOf(error);
    if (position !== undefined) return position >= prefix.length;
    return error instanceof SyntaxError && /^Unexpected end of JSON input/.test(error.message);
  }
}
