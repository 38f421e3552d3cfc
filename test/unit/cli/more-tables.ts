/** Tables for the derived goldens: names, tunnels, big numbers, v6/fwmark, the sort quirk, truncation. */
import type { ConnEntry, TableSnapshot } from '../../../src/model/table.js';
import { counters, dest, fwm, rates, referenceTable, saveTable, spec, svc, table, tcp, udp } from './tables.js';

/** Tunnels of every type beside a NAT server, for --tun-info and -S. */
export function tunnelTable(): TableSnapshot {
  const t = saveTable();
  return table([
    t.services[0]!,
    svc(spec(fwm(7), { scheduler: 'rr' }), [
      dest('192.168.1.30:0', { fwd: 'tunnel' }),
      dest('192.168.1.31:0', { fwd: 'tunnel', tunType: 'gue', tunPort: 6080, tunFlags: 0 }),
      dest('192.168.1.32:0', { fwd: 'tunnel', tunType: 'gue', tunPort: 5555, tunFlags: 2 }, { activeConns: 7 }),
      dest('192.168.1.33:0', { fwd: 'tunnel', tunType: 'gre', tunFlags: 1, weight: 0 }),
      dest('[2001:db8::33]:0', { fwd: 'tunnel', tunType: 'gre', tunFlags: 0 }),
    ]),
  ]);
}

/** Counters across every print_largenum band. */
export function bigNumbers(): TableSnapshot {
  return table([
    svc(spec(tcp('10.0.0.1', 80)), [
      dest('192.168.1.1:80', {}, { stats: counters(99999999, 100000000, 999999999, 1000000000, 99999999999) }),
      dest('192.168.1.2:80', {}, { stats: counters(100000000000, 99999999999999, 100000000000000, 18446744073709, 123), rates: rates(123456789, 1, 2, 100000000000, 5) }),
    ], counters(0, 1, 12345678, 123456789012, 1e15), rates(100000000, 0, 0, 0, 0)),
  ]);
}

/** v6 services and a v6 fwmark: persistence masks, brackets, no truncation. */
export function v6Table(): TableSnapshot {
  return table([
    svc(spec(fwm(8, 6), { scheduler: 'rr', persistence: 300, netmask: 64 }), [dest('[2001:db8::20]:0', { fwd: 'masq' })]),
    svc(spec(tcp('2001:db8:aaaa:bbbb:cccc:dddd:eeee:1', 8443), { scheduler: 'wrr' }), [
      dest('[2001:db8:aaaa:bbbb:cccc:dddd:eeee:ff01]:8443', { fwd: 'masq', weight: 100 }, { activeConns: 1 }),
      dest('[2001:db8::2]:8443', { fwd: 'masq' }),
    ]),
    svc(spec(udp('::1', 53), { pe: 'sip', persistence: 60 })),
    svc(spec(fwm(0xffffffff), { scheduler: 'lc' })),
  ]);
}

/** ipvs_cmp_*'s wrapping int: 10.x sorts after 192.x and 200.x (services and servers alike). */
export function sortQuirkTable(): TableSnapshot {
  const d = ['10.1.0.1:80', '200.0.0.9:80', '192.168.0.9:81', '192.168.0.9:80', '127.0.0.1:80'].map((a) => dest(a, { fwd: 'masq' }));
  return table([
    svc(spec(tcp('10.0.0.1', 80)), d),
    svc(spec(udp('10.0.0.1', 80))),
    svc(spec(tcp('200.0.0.1', 80))),
    svc(spec(fwm(3))),
    svc(spec(tcp('192.168.0.1', 443))),
    svc(spec(tcp('192.168.0.1', 80))),
    svc(spec(tcp('2001:db8::1', 80))),
    svc(spec(tcp('127.0.0.1', 80))),
  ]);
}

/** Names long enough to hit the 33- and 28-character cuts. */
export function longNames(): TableSnapshot {
  return table([
    svc(spec(tcp('255.255.255.255', 3389), { flags: { fallback: true, port: false, flag3: true } }), [
      dest('255.255.255.254:3389', { fwd: 'masq' }),
      dest('[2001:db8:1234:5678:9abc:def0:1234:5678]:3389', { fwd: 'tunnel' }),
    ]),
  ]);
}

export function withDaemons(): TableSnapshot {
  return table(referenceTable().services.slice(0, 1), {
    timeouts: { tcp: 7200, tcpFin: 60, udp: 300 },
    daemons: [
      { state: 'backup', mcastIfn: 'eth1', syncId: 9, maxLen: 1472, group: '224.0.0.81', port: 8848, ttl: 1 },
      { state: 'master', mcastIfn: 'eth0', syncId: 0 },
    ],
  });
}

export const CONNS: ConnEntry[] = [
  { proto: 'TCP', expires: 899, state: 'ESTABLISHED', client: '172.16.0.5:51234', virtual: '10.0.0.1:80', dest: '192.168.1.10:80' },
  { proto: 'UDP', expires: 7, state: 'UDP', client: '172.16.0.5:40000', virtual: '10.0.0.2:53', dest: '192.168.1.20:53' },
];

export const PE_CONNS: ConnEntry[] = [
  ...CONNS,
  { proto: 'UDP', expires: 6000, state: 'UDP', client: '[2001:db8::5]:5060', virtual: '[2001:db8::1]:5060', dest: '[2001:db8::10]:5060', peName: 'sip', peData: 'call-1@example' },
  { proto: 'IP', expires: 359, state: 'NONE', client: '172.16.0.5:0', virtual: '0.0.0.7:0', dest: '192.168.1.30:0' },
];
