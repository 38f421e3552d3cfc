#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { parseDaemonArgs, USAGE } from './options.js';
import { createLogger } from '../platform/logger.js';
import { SystemClock } from '../platform/clock.js';
import { systemRandom } from '../platform/random.js';
import { ProxyDataPlane } from '../dataplane/proxy/plane.js';
import { resolveSocketPath } from '../cli/socket-path.js';
import { ControlSocket } from './control-socket.js';
import { controlHandler } from './control-handler.js';
import { installSignalHandlers } from './lifecycle.js';

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

async function main(argv: readonly string[]): Promise<number> {
  let opts;
  try {
    opts = parseDaemonArgs(argv);
  } catch (e) {
    process.stderr.write(`lvsd: ${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (opts.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (opts.version) {
    process.stdout.write(`lvsd ${version()}\n`);
    return 0;
  }
  if (opts.dataplane === 'ipvs' || opts.dataplane === 'packet') {
    process.stderr.write(`lvsd: the ${opts.dataplane} data plane is not part of this build yet; use --dataplane proxy\n`);
    return 2;
  }
  const { log, flush } = createLogger(opts.logLevel);
  const plane = new ProxyDataPlane({ clock: new SystemClock(), random: systemRandom(), log: log.child({ component: 'proxy' }), connCapacity: opts.connCapacity });
  const socketPath = resolveSocketPath(opts.control);
  const control = new ControlSocket(socketPath, controlHandler(plane, log.child({ component: 'control' })), log.child({ component: 'control' }));
  try {
    await control.listen();
  } catch (e) {
    log.error({ err: e, socket: socketPath }, 'cannot open the control socket');
    await plane.close();
    flush();
    return 1;
  }
  log.info({ dataplane: plane.name, control: socketPath, version: version() }, 'lvsd started');
  return new Promise<number>((resolve) => {
    installSignalHandlers(log, async (signal) => {
      log.info({ signal }, 'lvsd stopping');
      await control.close();
      await plane.close();
      flush();
      resolve(0);
    });
  });
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`lvsd: fatal: ${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  },
);
