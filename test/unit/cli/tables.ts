/** Sample tables for the listing tests, built from the reference's byte-exact examples (section 3.3). */
import { parseIp } from '../../../src/model/address.js';
import type { DestSpec, ServiceId, ServiceSpec } from '../../../src/model/service.js';
import { NO_SCHED_FLAGS } from '../../../src/model/service.js';
import { zeroCounters, zeroRates, type Counters, type Rates } from '../../../src/model/stats.js';
import { DEFAULT_TIMEOUTS, type DestEntry, type ServiceEntry, type TableSnapshot } from '../../../src/model/table.js';

export const ip = (s: string) => parseIp(s)!;

export function tcp(addr: string, port: number): ServiceId {
  return { kind: 'addr', protocol: 'tcp', addr: ip(addr), port };
}
export function udp(addr: string, port: number): ServiceId {
  return { kind: 'addr', protocol: 'udp', addr: ip(addr), port };
}
export function fwm(fwmark: number, af: 4 | 6 = 4): ServiceId {
  return { kind: 'fwmark', fwmark, af };
}

export function spec(id: ServiceId, over: Partial<ServiceSpec> = {}): ServiceSpec {
  const v6 = id.kind === 'addr' ? id.addr.af === 6 : id.af === 6;
  return { id, scheduler: 'wlc', flags: NO_SCHED_FLAGS, persistence: 0, netmask: v6 ? 128 : 0xffffffff, ops: false, pe: '', ...over };
}

export function dest(addrPort: string, over: Partial<DestSpec> = {}, counts: Partial<Omit<DestEntry, 'spec'>> = {}): DestEntry {
  const m = /^\[?(.*?)\]?:(\d+)$/.exec(addrPort)!;
  return {
    spec: { addr: ip(m[1]!), port: Number(m[2]), weight: 1, fwd: 'route', tunType: 'ipip', tunPort: 0, tunFlags: 0, uThreshold: 0, lThreshold: 0, ...over },
    activeConns: 0, inactConns: 0, persistConns: 0, stats: zeroCounters(), rates: zeroRates(), ...counts,
  };
}

export function svc(s: ServiceSpec, dests: DestEntry[] = [], stats: Counters = zeroCounters(), rates: Rates = zeroRates()): ServiceEntry {
  return { spec: s, dests, stats, rates };
}

export function table(services: ServiceEntry[], over: Partial<TableSnapshot> = {}): TableSnapshot {
  return { version: '1.2.1', size: 4096, services, timeouts: DEFAULT_TIMEOUTS, daemons: [], ...over };
}

export const counters = (conns: number, inPkts: number, outPkts: number, inBytes: number, outBytes: number): Counters =>
  ({ conns, inPkts, outPkts, inBytes, outBytes });
export const rates = (cps: number, inPps: number, outPps: number, inBps: number, outBps: number): Rates =>
  ({ cps, inPps, outPps, inBps, outBps });

/** The reference's first listing: a NAT+DR TCP service, a persistent sh UDP service, a v6 tunnel, a fwmark. */
export function referenceTable(): TableSnapshot {
  return table([
    // deliberately not in listing order: lvsadm sorts
    svc(spec(fwm(7), { scheduler: 'rr' })),
    svc(spec(tcp('2001:db8::1', 443), { scheduler: 'mh' }), [dest('[2001:db8::10]:443', { fwd: 'tunnel' })]),
    svc(spec(tcp('10.0.0.1', 80)), [
      dest('192.168.1.11:80', { weight: 3 }),
      dest('192.168.1.10:80', { fwd: 'masq' }, { activeConns: 5, inactConns: 10 }),
    ]),
    svc(spec(udp('10.0.0.2', 53), {
      scheduler: 'sh', flags: { fallback: true, port: true, flag3: false }, persistence: 360, netmask: 0xffffff00, ops: true,
    })),
  ]);
}

/** The reference's -S example: the same TCP/UDP services and a fwmark service with ipip and gue tunnels. */
export function saveTable(): TableSnapshot {
  const t = referenceTable();
  return table([
    t.services[2]!, t.services[3]!,
    svc(spec(fwm(7), { scheduler: 'rr' }), [
      dest('192.168.1.31:0', { fwd: 'tunnel', tunType: 'gue', tunPort: 6080, tunFlags: 0 }),
      dest('192.168.1.30:0', { fwd: 'tunnel' }),
    ]),
  ]);
}

/** One service with one real server carrying counters, rates and connection counts. */
export function busyTable(over: Partial<ServiceSpec> = {}): TableSnapshot {
  const c = counters(1234, 56789, 0, 123456789, 98765432100);
  const r = rates(3, 40, 0, 2500, 0);
  return table([
    svc(spec(tcp('10.0.0.1', 80), over), [
      dest('192.168.1.10:80', { fwd: 'masq' }, { activeConns: 5, inactConns: 10, persistConns: 2, stats: c, rates: r }),
    ], c, r),
  ]);
}
