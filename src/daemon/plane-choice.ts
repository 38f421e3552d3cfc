import type { DataPlane } from '../ports/dataplane.js';
import type { Clock } from '../ports/clock.js';
import type { Logger } from '../ports/logger.js';
import { systemRandom } from '../platform/random.js';
import { readFdLimit } from '../platform/fd-limit.js';
import { eventLoopTurn } from '../platform/pause.js';
import type { DaemonOptions } from './options.js';

/**
 * The data plane to run: the one asked for, else kernel IPVS when lvsd is root and the kernel has it,
 * else the unprivileged proxy. Throws an Error whose message is the operator's one line.
 */
export async function openPlane(opts: DaemonOptions, clock: Clock, log: Logger): Promise<DataPlane> {
  // Each plane is loaded only when chosen: the proxy plane brings the userspace director and its
  // schedulers, dozens of modules a daemon programming kernel IPVS never runs.
  const proxy = async (): Promise<DataPlane> => {
    const { ProxyDataPlane } = await import('../planes/proxy/plane.js');
    const fdLimit = readFdLimit()?.soft;
    return new ProxyDataPlane({ clock, random: systemRandom(), log: log.child({ component: 'proxy' }), connCapacity: opts.connCapacity, fdLimit, evictIdle: opts.evictIdle, pause: eventLoopTurn });
  };
  const ipvs = async (): Promise<DataPlane> => {
    const [{ IpvsDataPlane }, { KernelIpvs }] = await Promise.all([import('../planes/ipvs/plane.js'), import('../planes/ipvs/kernel.js')]);
    return new IpvsDataPlane(await KernelIpvs.open());
  };
  switch (opts.dataplane) {
    case 'proxy':
      return proxy();
    case 'packet':
      throw new Error('the packet data plane is not part of this build yet; use --dataplane ipvs or proxy');
    case 'ipvs':
      try {
        return await ipvs();
      } catch (e) {
        throw new Error(`--dataplane ipvs: ${(e as Error).message}`);
      }
    case undefined:
      if (process.getuid?.() !== 0) return proxy();
      try {
        return await ipvs();
      } catch (e) {
        log.info({ reason: (e as Error).message }, 'kernel IPVS unavailable; using the proxy data plane');
        return proxy();
      }
  }
}
