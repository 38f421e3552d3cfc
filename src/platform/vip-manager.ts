import type { VirtualIp } from '../model/config-vrrp.js';
import { LvsdError } from '../model/errors.js';
import { NetlinkError } from '../netlink/errors.js';
import type { RtnlClient } from '../netlink/rtnl/client.js';
import { vipFlags, type AddressSpec } from '../netlink/rtnl/map.js';
import type { VipPort } from '../ports/vips.js';

/**
 * The VipPort over rtnetlink. A virtual_ipaddress line becomes RTM_NEWADDR / RTM_DELADDR with what `ip addr add`
 * would send for it (dev, label, scope, brd, peer, IPv6 flags and preferred lifetime).
 *
 * Idempotence, as keepalived tolerates it (vrrp_ipaddress.c netlink_ipaddress ignores EEXIST on add and
 * EADDRNOTAVAIL on delete): EEXIST on add means the address is there, which is what was asked; EADDRNOTAVAIL
 * on delete means it is not, likewise; on delete a missing interface (ENODEV) has taken its addresses with it.
 * Any other refusal fails that address only; the others are still applied, and one LVSD_E_VIP error lists
 * every failure with its config line.
 */
export class VipError extends LvsdError {
  constructor(readonly failures: readonly { readonly vip: VirtualIp; readonly error: Error }[], op: 'add' | 'remove') {
    super('LVSD_E_VIP', `could not ${op} ${failures.length} virtual address(es): ` +
      failures.map((f) => `${f.vip.loc.file}:${f.vip.loc.line} ${f.vip.addr.text}/${f.vip.prefix}: ${f.error.message}`).join('; '));
    this.name = 'VipError';
  }
}

const TOLERATED = { add: ['EEXIST'], remove: ['EADDRNOTAVAIL', 'ENODEV'] } as const;

export class VipManager implements VipPort {
  constructor(private readonly rtnl: RtnlClient) {}

  add(vips: readonly VirtualIp[], defaultDev: string | null): Promise<void> {
    return this.apply('add', vips, defaultDev);
  }

  remove(vips: readonly VirtualIp[], defaultDev: string | null): Promise<void> {
    return this.apply('remove', vips, defaultDev);
  }

  private async apply(op: 'add' | 'remove', vips: readonly VirtualIp[], defaultDev: string | null): Promise<void> {
    const indexes = new Map<string, Promise<number>>();
    const indexOf = (dev: string): Promise<number> => {
      let p = indexes.get(dev);
      if (!p) {
        p = this.rtnl.link(dev).then((l) => l.index);
        indexes.set(dev, p);
      }
      return p;
    };
    const one = async (v: VirtualIp): Promise<void> => {
      const dev = v.dev ?? defaultDev;
      if (!dev) throw new LvsdError('LVSD_E_VIP_NODEV', 'no dev given and the instance has no interface');
      const spec = toSpec(v, await indexOf(dev));
      await (op === 'add' ? this.rtnl.addAddress(spec) : this.rtnl.deleteAddress(spec));
    };
    const outcomes = await Promise.allSettled(vips.map(one));
    const failures: { vip: VirtualIp; error: Error }[] = [];
    outcomes.forEach((o, i) => {
      if (o.status === 'fulfilled') return;
      const e: unknown = o.reason;
      const tolerated: readonly string[] = TOLERATED[op];
      if (e instanceof NetlinkError && tolerated.includes(e.errno)) return;
      failures.push({ vip: vips[i]!, error: e instanceof Error ? e : new Error(String(e)) });
    });
    if (failures.length > 0) throw new VipError(failures, op);
  }
}

/** A config line as the address request `ip addr add` would make of it. */
export function toSpec(v: VirtualIp, ifindex: number): AddressSpec {
  return {
    ifindex,
    addr: v.addr,
    prefix: v.prefix,
    scope: v.scope,
    label: v.label,
    broadcast: v.broadcast,
    peer: v.peer,
    flags: vipFlags(v),
    preferredLft: v.preferredLft,
  };
}
