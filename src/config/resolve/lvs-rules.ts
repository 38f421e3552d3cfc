/** Small LVS rules: real/sorry server ports, service identity, and virtual_server_group checks. */
import { addrPort, type IpAddr } from '../../model/address.js';
import type { Forwarding, SourceLoc, VirtualServer, VirtualServerGroup } from '../../model/config.js';
import { CODES, type Ctx } from '../keywords/context.js';
import type { GroupDraft } from '../keywords/virtual-server-group.js';
import type { VsDraft } from '../keywords/virtual-server.js';

/**
 * validate_check_config's port rules: NAT servers without a port take the service's; DR/TUN cannot
 * change the port, so a fwmark service clears it and an address service forces its own.
 * (For group services keepalived only warns; the port is kept as written.)
 */
export function realServerPort(rs: { loc: SourceLoc; addr: IpAddr; port: number }, vs: VsDraft, fwd: Forwarding, ctx: Ctx): number {
  const key = vs.key;
  if (key.kind === 'group') return rs.port;
  if (fwd.method === 'masq') return key.kind === 'addr' && rs.port === 0 ? key.port : rs.port;
  if (key.kind === 'fwmark') {
    if (rs.port) ctx.warn(CODES.adjusted, rs.loc, `port ${rs.port} is ignored: DR/TUN servers of a fwmark service take the packet's port`);
    return 0;
  }
  if (rs.port && rs.port !== key.port) {
    ctx.warn(CODES.adjusted, rs.loc, `port ${rs.port} differs from the virtual server's ${key.port}; DR/TUN cannot change ports, so ${key.port} is used`);
  }
  return key.port;
}

/** What makes two virtual_server blocks the same IPVS service(s). */
export function vsIdentity(vs: VirtualServer): string {
  const k = vs.key;
  if (k.kind === 'addr') return `${vs.protocol}:${addrPort(k.addr, k.port)}`;
  if (k.kind === 'fwmark') return `fwmark:${k.fwmark}:v${vs.family}`;
  return `group:${k.group}:${vs.protocol}:v${vs.family}`;
}

/**
 * vsg_handler: an empty group is removed; a group mixing IPv4, IPv6 and fwmarks without a family
 * cannot be given a family and is removed too.
 */
export function resolveServerGroups(drafts: readonly GroupDraft[], ctx: Ctx): VirtualServerGroup[] {
  const seen = new Map<string, VirtualServerGroup>();
  for (const d of drafts) {
    const first = seen.get(d.name);
    if (first) {
      ctx.error(CODES.duplicate, d.loc, `virtual_server_group ${d.name} is already defined at ${first.loc.file}:${first.loc.line}`);
      continue;
    }
    if (d.ranges.length === 0 && d.fwmarks.length === 0) {
      if (!d.rejected) ctx.warn(CODES.adjusted, d.loc, `virtual_server_group ${d.name} has no entries and is ignored`);
      continue;
    }
    const fams = new Set([...d.ranges.map((r) => r.first.af), ...d.fwmarks.flatMap((f) => (f.family ? [f.family] : []))]);
    if (fams.size > 1 && d.fwmarks.some((f) => f.family === null)) {
      ctx.error(CODES.value, d.loc, `virtual_server_group ${d.name} mixes IPv4 and IPv6, so each fwmark needs inet or inet6`);
      continue;
    }
    seen.set(d.name, { loc: d.loc, name: d.name, ranges: d.ranges, fwmarks: d.fwmarks });
  }
  return [...seen.values()];
}
