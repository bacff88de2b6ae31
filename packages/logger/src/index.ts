export { correlationIdFrom } from './correlation-id.js';
export type { BufferOptions, CreateLoggerOptions, InvocationInfo, Logger, RedactOptions } from './create-logger.js';
export { createLogger } from './create-logger.js';
export { flushLogBuffer, invocationLogger } from './invocation-logger.js';
export type { LogLevel } from './log-level.js';
export type { LoggerOptions } from './logger.js';
export { logger } from './logger.js';
export { DEFAULT_REDACT_KEYS } from './sanitize.js';
