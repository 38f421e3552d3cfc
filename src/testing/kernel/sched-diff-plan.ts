import { SCHEDULER_NAMES } from '../../model/scheduler.js';

/**
 * The connection sequence the scheduler differential test (sched-diff.ts) drives through kernel IPVS and
 * replays through lvsd's director (sched-replay.ts). One script, the same for every scheduler, over three
 * services per scheduler: IPv4, IPv6 and an IPv4 firewall-mark service. Addresses are benchmarking space
 * (198.18.0.0/15, RFC 2544; 2001:2::/48, RFC 5180) inside the guest's namespaces only.
 */

export const VIP4 = '198.18.1.100';
export const VIP6 = '2001:2:0:100::100';
/**
 * Two IPv6 destinations of the IPv6 fwmark services that fold alike (the XOR of their 32-bit words is
 * 0x20010102): lblc and lblcr hash by that fold but the kernel compares whole addresses, so each keeps
 * its own cache entry.
 */
export const VIP6_FOLD_A = '2001:2:0:101::1';
export const VIP6_FOLD_B = '2001:2:0:1::101';
export const REALS4 = ['198.18.2.11', '198.18.2.12', '198.18.2.13', '198.18.2.14'];
export const REALS6 = ['2001:2:0:200::11', '2001:2:0:200::12', '2001:2:0:200::13', '2001:2:0:200::14'];
export const REAL_PORT = 80;
/** Initial weights of r1..r4. */
export const WEIGHTS = [1, 2, 3, 1];
/** lblc_expiration / lblcr_expiration set in the guest (seconds), and given to lvsd's table. */
export const LOCALITY_EXPIRATION_S = 4;
/**
 * Longer than CLOSE's 10 s plus the kernel timer wheel's slack on it (kernel/time/timer.c rounds a
 * timer up by at most 1/8 of its delay), far shorter than TIME_WAIT's 120 s (ip_vs_proto_tcp.c).
 */
export const PAUSE_MS = 13_000;

export type SvcKind = 'v4' | 'v6' | 'fwm' | 'fwm6';
export type End = 'hold' | 'clean' | 'reset';

export interface SvcDef {
  readonly sched: string;
  readonly kind: SvcKind;
  /** Addresses clients connect to (fwm6: two), and the port (for fwm and fwm6, the one the mark rule matches). */
  readonly vaddrs: readonly string[];
  readonly vport: number;
  /** Non-zero for fwm. */
  readonly fwmark: number;
  /** ipvsadm -b flags. */
  readonly flags: readonly string[];
  readonly reals: readonly string[];
}

export type Action =
  | { readonly a: 'edit' | 'add'; readonly svc: number; readonly real: number; readonly weight: number }
  | { readonly a: 'del'; readonly svc: number; readonly real: number }
  | { readonly a: 'conn'; readonly svc: number; readonly id: number; readonly client: string; readonly cport: number; readonly dst: string; readonly end: End }
  | { readonly a: 'finish'; readonly id: number; readonly how: Exclude<End, 'hold'> }
  | { readonly a: 'pause'; readonly ms: number };

export interface Plan {
  readonly services: readonly SvcDef[];
  /** Steps run in order; within a step, table edits go in one ipvsadm batch first, then the rest in order. */
  readonly steps: readonly (readonly Action[])[];
}

/**
 * Resets only in the step right before the pause: a CLOSE entry expires 10 s later, up to 1.25 s late
 * in the kernel (timer-wheel slack), and no connection may be scheduled inside that window or the
 * kernel's choice would depend on when its timer fired. Held and closed connections live 900 s and
 * 120 s, longer than the whole sequence.
 */
const QUIET: readonly End[] = ['hold', 'clean', 'clean', 'hold', 'clean', 'hold', 'clean', 'clean'];
const BEFORE_PAUSE: readonly End[] = ['reset', 'hold', 'clean', 'reset', 'clean', 'reset'];

/** Flags that make sh and mh hash the source port (and fall back) on the fwmark service. */
function fwmFlags(sched: string): string[] {
  if (sched === 'sh') return ['sh-fallback', 'sh-port'];
  if (sched === 'mh') return ['mh-fallback', 'mh-port'];
  return [];
}

/** The schedulers keyed by destination address, which also get an IPv6 fwmark service over VIP6_FOLD_A/B. */
const BY_DESTINATION = ['lblc', 'lblcr'];

export function services(scheds: readonly string[]): SvcDef[] {
  return scheds.flatMap((sched) => {
    const i = SCHEDULER_NAMES.indexOf(sched as (typeof SCHEDULER_NAMES)[number]);
    const out: SvcDef[] = [
      { sched, kind: 'v4', vaddrs: [VIP4], vport: 8000 + i, fwmark: 0, flags: [], reals: REALS4 },
      { sched, kind: 'v6', vaddrs: [VIP6], vport: 8000 + i, fwmark: 0, flags: [], reals: REALS6 },
      { sched, kind: 'fwm', vaddrs: [VIP4], vport: 9000 + i, fwmark: 100 + i, flags: fwmFlags(sched), reals: REALS4 },
    ];
    if (BY_DESTINATION.includes(sched)) {
      out.push({ sched, kind: 'fwm6', vaddrs: [VIP6_FOLD_A, VIP6_FOLD_B], vport: 9100 + i, fwmark: 200 + i, flags: [], reals: REALS6 });
    }
    return out;
  });
}

export const isV6 = (kind: SvcKind): boolean => kind === 'v6' || kind === 'fwm6';

/** Client n of a family: spread over four subnets, so addresses share last octets and differ elsewhere. */
export function clientAddr(v6: boolean, n: number): string {
  const subnet = n % 4;
  const host = 10 + Math.floor(n / 4);
  return v6 ? `2001:2:0:${subnet}::${host.toString(16)}` : `198.19.${subnet}.${host}`;
}

/** Every client address the plan uses, by family (the lab puts them on the client's link). */
export const CLIENTS_PER_FAMILY = 48;

/**
 * The script: connections held, closed and reset; a quiesce and a weight raise; a delete with a re-add
 * (the dest trash); held connections finished; the long pause; another delete and re-add after it.
 */
export function buildPlan(scheds: readonly string[]): Plan {
  const svcs = services(scheds);
  let nextId = 0;
  const clientOf = new Map<number, number>();
  const conns = (count: number, ends: readonly End[] = QUIET): Action[] => svcs.flatMap((s, svc) => Array.from({ length: count }, (_, k) => {
    const n = clientOf.get(svc) ?? 0;
    clientOf.set(svc, n + 1);
    const id = nextId++;
    // Chosen source ports, unique per connection so no 5-tuple is reused while IPVS still holds it.
    const dst = s.vaddrs[n % s.vaddrs.length];
    return { a: 'conn' as const, svc, id, client: clientAddr(isV6(s.kind), (n * 7) % CLIENTS_PER_FAMILY), cport: 20_000 + id, dst, end: ends[k % ends.length] };
  }));
  const each = (f: (svc: number) => Action): Action[] => svcs.map((_, svc) => f(svc));
  const steps: Action[][] = [];
  steps.push(conns(8));
  steps.push([...each((svc) => ({ a: 'edit', svc, real: 1, weight: 0 })), ...conns(3)]);
  steps.push([...each((svc) => ({ a: 'edit', svc, real: 1, weight: 4 })), ...each((svc) => ({ a: 'del', svc, real: 2 })), ...conns(3)]);
  steps.push([...each((svc) => ({ a: 'add', svc, real: 2, weight: 3 })), ...conns(4)]);
  const held = steps.flat().filter((x): x is Extract<Action, { a: 'conn' }> => x.a === 'conn' && x.end === 'hold');
  // The last step before the pause: resets, then half the held connections finished (clean or reset).
  steps.push([
    ...each((svc) => ({ a: 'edit', svc, real: 0, weight: 5 })),
    ...conns(6, BEFORE_PAUSE),
    ...held.filter((_, k) => k % 2 === 0).map((c, k): Action => ({ a: 'finish', id: c.id, how: k % 2 === 0 ? 'clean' : 'reset' })),
  ]);
  steps.push([{ a: 'pause', ms: PAUSE_MS }]);
  steps.push(conns(6));
  steps.push([...each((svc) => ({ a: 'del', svc, real: 3 })), ...each((svc) => ({ a: 'add', svc, real: 3, weight: 1 })), ...conns(3)]);
  return { services: svcs, steps };
}

/** What the guest observed for each action, in order. */
export interface Rec {
  readonly action: Action;
  /** ms since the sequence began (the guest's monotonic clock), when the action started and ended. */
  readonly t0: number;
  readonly t1: number;
  /** conn: the real server that answered. */
  readonly dest?: string;
}

/** The kernel's ActiveConn/InActConn per service and real server, keyed `svcIndex` → real address. */
export type Counts = Record<number, Record<string, [number, number]>>;

/**
 * The schedulers whose v4 sequence the proxy plane replays over loopback: those that do not hash client
 * or destination addresses (the loopback addresses differ from the lab's, so sh, dh and mh would hash
 * other values).
 */
export const PROXY_SCHEDULERS: readonly string[] = ['rr', 'wrr', 'lc', 'wlc', 'sed', 'nq', 'lblc', 'lblcr', 'fo', 'ovf'];

/** What the proxy replay reports: choices by connection id, final counts by service index. */
export interface ProxyReplay {
  readonly choices: Record<number, string | null>;
  readonly counts: Counts;
}
