// What a caller and a log reader see of a `lambdakit invoke` run, with what differs by run (times,
// ids, the runtimes' internal stack frames and files) taken out: what the conformance suite compares.

export interface Observed {
  code: number | null;
  payloads: unknown[];
  platform: string[];
  runtimeLines: string[];
}

/** What a caller and a log reader saw of one run. */
export interface Observed {
  code: number | null;
  /** Each invocation's payload, in order (in arrival order only under multi-concurrency). */
  payloads: unknown[];
  /** The platform lines in order: START, END, REPORT (cold or warm, and its status), INIT_REPORT, TIMEOUT. */
  platform: string[];
  /** The runtime's log lines (console lines, its error lines) in order. */
  runtimeLines: string[];
  /** What else reached stderr that identifies an outcome: Node's report of an uncaught error, warnings. */
  otherLines: string[];
}

/**
 * What a caller and a log reader see, with what differs by run (times, ids, internal frames)
 * taken out. Under multi-concurrency, invocations finish in any order: payloads and lines are
 * compared as sets.
 */
export function observe(code: number | null, stdout: Buffer, stderr: string, concurrent: boolean): Observed {
  const inOrder = <T>(items: T[]) =>
    concurrent ? [...items].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))) : items;
  const payloads = stdout
    .toString('latin1')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      try {
        return normalise(JSON.parse(line));
      } catch {
        return line.replace(/\0/g, '\\0');
      }
    });
  const lines = stderr.split('\n');
  const platform = lines.map(platformLine).filter((kind): kind is string => kind !== undefined);
  const runtimeLines = lines.filter((line) => /^\d{4}-\d\d-\d\dT|^\{"timestamp"/.test(line)).map(normaliseLogLine);
  const otherLines = lines
    .filter((line) => /^(\w+Error|Error|Node\.js v\d|\(node:\d+\)|Worker \d)/.test(line))
    .map((line) => line.replace(/^\(node:\d+\)/, '(node:<pid>)').replace(UUID, '<id>'));
  return {
    code,
    payloads: inOrder(payloads),
    platform: inOrder(platform),
    runtimeLines: inOrder(runtimeLines),
    otherLines: inOrder(otherLines),
  };
}

/** A platform line, reduced to what does not vary by run: its kind, and for REPORT whether cold and its status. */
function platformLine(line: string): string | undefined {
  if (line.startsWith('REPORT')) {
    const status = /\tStatus: .*$/.exec(line)?.[0].trim() ?? 'ok';
    return `REPORT ${line.includes('\tInit Duration:') ? 'cold' : 'warm'} ${status}`;
  }
  if (line.startsWith('INIT_REPORT')) return line.replace(/Init Duration: [\d.]+ ms\t/, '');
  if (/^(START|END) /.test(line)) return line.split(' ')[0];
  if (/ Task timed out after /.test(line)) return 'TIMEOUT';
  return undefined;
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/** Stack frames of the function's own files are kept; the runtimes' and Node's own differ and go. */
function normaliseTrace(trace: string[]): string[] {
  return trace
    .filter((line) => !/^(\s+at |- )/.test(line) || line.includes('/test/conformance/'))
    .map((line) => line.replace(UUID, '<id>'));
}

function normalise(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return typeof value === 'string' ? value.replace(UUID, '<id>') : value;
  }
  const record = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(record)) {
    if (key === 'trace' && Array.isArray(field)) out[key] = normaliseTrace(field as string[]);
    else if (key === 'errorMessage' && typeof field === 'string') out[key] = normaliseMessage(field);
    else out[key] = normalise(field);
  }
  return out;
}

function normaliseMessage(message: string): string {
  // "Require stack:" lists the loader's own file, which is the runtime's.
  return message.replace(UUID, '<id>').replace(/\nRequire stack:[\s\S]*$/, '\nRequire stack: …');
}

/**
 * The runtime's own error lines (`Invoke Error \t{…}`) carry the error as JSON: its stack keeps the
 * function's frames only, and a `Require stack` in a message names the loader's file.
 */
function normaliseErrorLine(text: string): string {
  const match = /^(Invoke Error|Init Error|Uncaught Exception|Unhandled Promise Rejection) \t(\{.*)$/.exec(text);
  if (match === null)
    return text.replace(/\r {4}at [^\r]*/g, (frame) => (frame.includes('/test/conformance/') ? frame : ''));
  try {
    return `${match[1]} \t${JSON.stringify(normaliseLogged(JSON.parse(match[2]!)))}`;
  } catch {
    return text;
  }
}

/** A logged error and the errors it holds (a rejection's `reason`), their stacks normalised. */
function normaliseLogged(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    if ((key === 'stack' || key === 'stackTrace') && Array.isArray(field)) out[key] = normaliseTrace(field as string[]);
    else if ((key === 'errorMessage' || key === 'message') && typeof field === 'string')
      out[key] = normaliseMessage(field);
    else if (key === 'requireStack' && Array.isArray(field)) out[key] = ['…'];
    else out[key] = normaliseLogged(field);
  }
  return out;
}

function normaliseLogLine(line: string): string {
  if (line.startsWith('{')) {
    try {
      const record = JSON.parse(line) as Record<string, unknown>;
      delete record.timestamp;
      if (typeof record.message === 'string') record.message = normaliseErrorLine(record.message);
      if (Array.isArray(record.stackTrace)) record.stackTrace = normaliseTrace(record.stackTrace as string[]);
      const message = record.message as Record<string, unknown> | undefined;
      if (message !== null && typeof message === 'object' && Array.isArray(message.stackTrace)) {
        message.stackTrace = normaliseTrace(message.stackTrace as string[]);
      }
      return JSON.stringify(record).replace(UUID, '<id>');
    } catch {
      return line;
    }
  }
  const [, requestId = '', level = '', ...message] = line.split('\t');
  const text = message.join('\t').replace(UUID, '<id>');
  return [requestId.replace(UUID, '<id>'), level, normaliseErrorLine(text)].join('\t');
}
