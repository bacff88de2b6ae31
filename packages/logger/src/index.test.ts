import { describe, expect, it } from 'vitest';
import * as api from './index.js';

describe('@lambdakit/logger public entry', () => {
  it('exports exactly this list (adding or removing an export is a visible decision)', () => {
    expect(Object.keys(api).sort()).toMatchInlineSnapshot(`
      [
        "DEFAULT_REDACT_KEYS",
        "correlationIdFrom",
        "createLogger",
        "flushLogBuffer",
        "invocationLogger",
        "logger",
        "recordLogger",
        "stdoutDestination",
      ]
    `);
  });
});
