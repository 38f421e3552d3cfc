import { parseIp, type IpAddr } from '../model/address.js';
import { NO_SCHED_FLAGS, hostMask, type ServiceSpec, type DestSpec, type ServiceId } from '../model/service.js';
import type { Protocol } from '../model/protocol.js';

/** Builders for tests and benches: a spec with ipvsadm's defaults, overridden where a test cares. */
export function ip(s: string): IpAddr {
  const a = parseIp(s);
  if (!a) throw new Error(`bad test address ${s}`);
  return a;
}

export function svcId(addrPort: string, protocol: Protocol = 'tcp'): ServiceId {
  const at = addrPort.lastIndexOf(':');
  return { kind: 'addr', protocol, addr: ip(addrPort.slice(0, at).replace(/^\[|\]$/g, '')), port: Number(addrPort.slice(at + 1)) };
}

export function serviceSpec(id: ServiceId, over: Partial<ServiceSpec> = {}): ServiceSpec {
  const af = id.kind === 'addr' ? id.addr.af : id.af;
  return { id, scheduler: 'wlc', flags: NO_SCHED_FLAGS, persistence: 0, netmask: hostMask(af), ops: false, pe: '', ...over };
}

export function destSpec(addrPort: string, over: Partial<DestSpec> = {}): DestSpec {
  const at = addrPort.lastIndexOf(':');
  return {
    addr: ip(addrPort.slice(0, at).replace(/^\[|\]$/g, '')),
    port: Number(addrPort.slice(at + 1)),
    weight: 1,
    fwd: 'masq',
    tunType: 'ipip',
    tunPort: 0,
    tunFlags: 0,
    uThreshold: 0,
    lThreshold: 0,
    ...over,
  };
}
