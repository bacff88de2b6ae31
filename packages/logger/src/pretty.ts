import { createRequire } from 'node:module';

type PrettyFactory = (options: Record<string, unknown>) => (line: string) => string | undefined;

/**
 * A formatter turning a JSON line into pino-pretty's human-readable form, or undefined when the
 * optional `pino-pretty` is not installed. Loaded only when pretty output is on, so a deployed
 * function neither needs nor pays for it. Synchronous (pino-pretty's `prettyFactory`, not its
 * stream), so pretty output keeps the no-line-lost guarantee.
 */
export function loadPrettyFormatter(colorize: boolean): ((line: string) => string | undefined) | undefined {
  let factory: PrettyFactory | undefined;
  try {
    const module = createRequire(import.meta.url)('pino-pretty') as { prettyFactory?: PrettyFactory };
    factory = module.prettyFactory;
  } catch {
    return undefined;
  }
  if (typeof factory !== 'function') return undefined;
  return factory({
    colorize,
    levelKey: 'level',
    messageKey: 'message',
    timestampKey: 'timestamp',
    errorLikeObjectKeys: ['error', 'err'],
    customLevels: 'TRACE:10,DEBUG:20,INFO:30,WARN:40,ERROR:50,FATAL:60',
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'functionName,functionVersion,functionArn',
  });
}
