/** A line longer than the limit: skipped whole, never held in memory. */
export interface LongLine {
  tooLong: true;
  /** How many bytes the line had, its newline aside. */
  bytes: number;
}

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

/**
 * The lines of a byte stream, split on `\n` (a `\r` before it is dropped) and decoded as UTF-8,
 * holding at most `maxBytes` of one line: a longer line is read through without being kept and
 * comes out as a {@link LongLine}, so a 1 GB line costs no more memory than the limit. A last line
 * without a newline is a line too.
 */
export async function* readLines(
  input: AsyncIterable<Buffer | string>,
  maxBytes: number,
): AsyncGenerator<string | LongLine, void, undefined> {
  let pieces: Buffer[] = [];
  let held = 0;
  // The current line went over the limit: its bytes are counted, not kept.
  let skipped = -1;
  const take = (piece: Buffer): void => {
    if (skipped >= 0) {
      skipped += piece.length;
      return;
    }
    if (held + piece.length > maxBytes) {
      skipped = held + piece.length;
      pieces = [];
      held = 0;
      return;
    }
    if (piece.length > 0) pieces.push(piece);
    held += piece.length;
  };
  const end = (): string | LongLine => {
    let line: string | LongLine;
    if (skipped >= 0) {
      line = { tooLong: true, bytes: skipped };
    } else {
      const bytes = pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces, held);
      const last = bytes.length - 1;
      line = (last >= 0 && bytes[last] === CARRIAGE_RETURN ? bytes.subarray(0, last) : bytes).toString('utf8');
    }
    pieces = [];
    held = 0;
    skipped = -1;
    return line;
  };
  for await (const chunk of input) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    let start = 0;
    for (let newline = bytes.indexOf(NEWLINE, start); newline !== -1; newline = bytes.indexOf(NEWLINE, start)) {
      take(bytes.subarray(start, newline));
      yield end();
      start = newline + 1;
    }
    if (start < bytes.length) take(bytes.subarray(start));
  }
  if (held > 0 || skipped >= 0) yield end();
}
