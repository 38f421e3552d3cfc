import type { Logger } from '../ports/logger.js';

/**
 * SIGTERM/SIGINT stop the daemon once, cleanly; a second signal while stopping exits at once. SIGHUP
 * reloads. Errors nothing else caught are logged instead of killing the data plane's traffic.
 */
export function installSignalHandlers(log: Logger, reload: () => void, stop: (signal: string) => Promise<void>): void {
  let stopping = false;
  const onSignal = (signal: string) => {
    if (stopping) process.exit(1);
    stopping = true;
    stop(signal).catch((err: unknown) => {
      log.error({ err }, 'error while stopping');
      process.exit(1);
    });
  };
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGHUP', () => {
    if (!stopping) reload();
  });
  process.on('uncaughtException', (err) => log.error({ err }, 'uncaught exception'));
  process.on('unhandledRejection', (err) => log.error({ err }, 'unhandled rejection'));
}
