import pino from 'pino';
import type { Logger } from '../ports/logger.js';

export interface DaemonLogger {
  readonly log: Logger;
  /** Writes out what the async destination still buffers; call before exiting on a signal. */
  flush(): void;
}

/**
 * JSON lines to stdout for journald and collectors; pretty when a person watches a TTY. The JSON
 * destination is asynchronous, so buffered lines would be lost on SIGTERM unless flushed (pino's exit
 * hook only covers process.exit()).
 */
export function createLogger(level: string, pretty = process.stdout.isTTY === true): DaemonLogger {
  const options: pino.LoggerOptions = {
    level,
    base: { svc: 'lvsd', pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  };
  if (pretty) {
    const transport = pino.transport({ target: 'pino-pretty', options: { translateTime: 'SYS:standard', ignore: 'pid,hostname,svc' } });
    const logger = pino(options, transport);
    return { log: logger, flush: () => logger.flush() };
  }
  const dest = pino.destination({ dest: 1, sync: false });
  const logger = pino(options, dest);
  return { log: logger, flush: () => dest.flushSync() };
}
