import t from 'tap';
import { flag, hexBytes, int, oneOf, optionalPort, parseSeconds, script, seconds, uint, weight } from '../../../src/config/keywords/values.js';
import { forwarding } from '../../../src/config/keywords/forwarding.js';
import { addressRange } from '../../../src/config/keywords/virtual-server-group.js';
import { vipLine } from '../../../src/config/keywords/vip.js';

const value = <T>(r: { ok: true; value: T } | { ok: false; error: string }): T | string => (r.ok ? r.value : `ERR ${r.error}`);

t.test('whole numbers as keepalived reads them (read_unsigned / read_int)', async (t) => {
  const u = uint(1, 255);
  t.equal(value(u(['51'])), 51);
  t.equal(value(u([' +7'])), 7, 'leading blanks and a plus sign, like strtoul');
  t.match(value(u(['0'])), /ERR must be a whole number from 1 to 255, not "0"/);
  t.match(value(u(['256'])), /^ERR/);
  t.match(value(u(['-1'])), /^ERR/, 'no negatives');
  t.match(value(u(['1.5'])), /^ERR/);
  t.match(value(u([])), /ERR needs a whole number/);
  t.equal(value(int(-253, 253)(['-253'])), -253);
  t.match(value(int(-253, 253)(['-254'])), /^ERR/);
});

t.test('timers: decimal seconds with microsecond resolution (read_timer)', async (t) => {
  t.equal(parseSeconds('6'), 6);
  t.equal(parseSeconds('0.5'), 0.5);
  t.equal(parseSeconds('.25'), 0.25);
  t.equal(parseSeconds('3.'), 3);
  t.equal(parseSeconds('1.0000005'), 1.000001, 'a seventh digit rounds');
  t.equal(parseSeconds('1.0000004'), 1);
  t.equal(parseSeconds('.'), null);
  t.equal(parseSeconds('-1'), null);
  t.equal(parseSeconds('1e3'), null);
  t.equal(value(seconds(0.01, 255)(['0.005'])), 'ERR must be a number of seconds from 0.01 to 255, not "0.005"');
  t.equal(value(seconds(0)(['1000000'])), 1000000, 'no upper limit by default');
});

t.test('booleans: alone means yes (check_true_false)', async (t) => {
  t.equal(value(flag([])), true);
  for (const y of ['yes', 'on', 'true']) t.equal(value(flag([y])), true, y);
  for (const n of ['no', 'off', 'false']) t.equal(value(flag([n])), false, n);
  t.match(value(flag(['maybe'])), /ERR must be yes\/no/);
  t.match(value(flag(['Yes'])), /^ERR/, 'case matters, as in keepalived');
});

t.test('enumerations and weights', async (t) => {
  const proto = oneOf({ TCP: 'tcp', UDP: 'udp' } as const, { ignoreCase: true });
  t.equal(value(proto(['udp'])), 'udp');
  t.match(value(proto(['icmp'])), /ERR must be one of TCP, UDP, not "icmp"/);
  t.equal(value(oneOf({ MASTER: 1 })(['master'])), 'ERR must be one of MASTER, not "master"');
  t.same(value(weight(-254, 254)(['-10', 'reverse'])), { weight: -10, reverse: true });
  t.same(value(weight(-254, 254)(['3'])), { weight: 3, reverse: false });
  t.match(value(weight(-254, 254)(['3', 'backwards'])), /ERR option must be reverse or noreverse/);
});

t.test('ports: 0 or absent means no port (alloc_vs / alloc_rs)', async (t) => {
  t.equal(value(optionalPort(undefined)), 0);
  t.equal(value(optionalPort('000')), 0);
  t.equal(value(optionalPort('443')), 443);
  t.match(value(optionalPort('65536')), /^ERR has port "65536"/);
});

t.test('scripts are split again into words, with quotes and escapes (set_script_params_array)', async (t) => {
  t.same(value(script(['/usr/local/bin/vrrp.sh  BACKUP   VI_1'])), { argv: ['/usr/local/bin/vrrp.sh', 'BACKUP', 'VI_1'], user: null, group: null });
  t.same(value(script(["bash -c '</dev/tcp/127.0.0.1/80'", 'nobody', 'nogroup'])), { argv: ['bash', '-c', '</dev/tcp/127.0.0.1/80'], user: 'nobody', group: 'nogroup' });
  t.same(value(script(['/bin/a\\ b'])), { argv: ['/bin/a b'], user: null, group: null });
  t.match(value(script(["'/bin/x"])), /ERR cannot be split into words/);
  t.match(value(script([])), /ERR needs a script/);
  t.equal(script.quoted, true, 'the walker hands it the quoted/escaped split of the line');
});

t.test('hex strings (read_hex_str)', async (t) => {
  t.same(hexBytes('Ab12f 3 456 546443123', false), { data: [0xab, 0x12, 0x0f, 0x03, 0x45, 0x06, 0x54, 0x64, 0x43, 0x12, 0x03], mask: null }, 'the man page example');
  t.same(hexBytes('0aXx ff', true), { data: [0x0a, 0x00, 0xff], mask: [0x00, 0xff, 0x00] });
  t.equal(hexBytes('0aXx', false), null, 'x is a digit only in a reply pattern');
  t.equal(hexBytes('zz', true), null);
  t.equal(hexBytes('   ', false), null);
});

t.test('lvs_method / lb_kind with tunnel options (svr_forwarding_handler)', async (t) => {
  t.same(value(forwarding(['NAT'])), { method: 'masq', tunType: 'ipip', tunPort: 0, tunCsum: 'nocsum' });
  t.same(value(forwarding(['DR'])), { method: 'route', tunType: 'ipip', tunPort: 0, tunCsum: 'nocsum' });
  t.same(value(forwarding(['TUN', 'type', 'gue', 'port', '6080', 'remcsum'])), { method: 'tunnel', tunType: 'gue', tunPort: 6080, tunCsum: 'remcsum' });
  t.same(value(forwarding(['TUN', 'type', 'gre', 'csum'])), { method: 'tunnel', tunType: 'gre', tunPort: 0, tunCsum: 'csum' });
  t.match(value(forwarding(['TUN', 'type', 'gue'])), /needs "port N" for a gue tunnel/);
  t.match(value(forwarding(['TUN', 'port', '6080'])), /needs "port N" for a gue tunnel/, 'a port without gue');
  t.match(value(forwarding(['TUN', 'csum'])), /ipip tunnel/);
  t.match(value(forwarding(['TUN', 'type', 'gre', 'remcsum'])), /gre tunnel/);
  t.match(value(forwarding(['TUN', 'type', 'vxlan'])), /tunnel type must be ipip, gue or gre/);
  t.match(value(forwarding(['nat'])), /must be NAT, DR or TUN/, 'upper case only, as keepalived');
});

t.test('virtual_server_group address ranges (alloc_vsg_entry, inet_stor)', async (t) => {
  const r = (s: string) => {
    const x = addressRange(s);
    return x.ok ? `${x.value.first.text}..${x.value.last.text}` : `ERR ${x.error}`;
  };
  t.equal(r('192.168.200.3-10'), '192.168.200.3..192.168.200.10', 'last byte, decimal');
  t.equal(r('192.168.200.250-192.168.201.10'), '192.168.200.250..192.168.201.10');
  t.equal(r('192.168.202.8/29'), '192.168.202.8..192.168.202.15');
  t.equal(r('ae00::2-9'), 'ae00::2..ae00::9');
  t.equal(r('ae00::2-1f'), 'ae00::2..ae00::1f', 'last group, hexadecimal');
  t.equal(r('2001:db8::/126'), '2001:db8::..2001:db8::3');
  t.equal(r('10.0.0.1'), '10.0.0.1..10.0.0.1');
  t.match(r('10.0.0.9-2'), /ends before it starts/);
  t.match(r('10.0.0.1-256'), /not a valid last byte/);
  t.match(r('10.0.0.9/29'), /host bits set/);
  t.match(r('10.0.0.1-2001:db8::1'), /mixes IPv4 and IPv6/);
  t.match(r('10.0.0.0/33'), /prefix length "33"/);
  t.match(r('host.example'), /is not an IP address/);
});

t.test('virtual_ipaddress lines (alloc_ipaddress)', async (t) => {
  const v = value(vipLine(['192.168.200.18/24', 'dev', 'eth1', 'scope', 'link', 'label', 'eth1:vip', 'brd', '+', 'no_track', 'noprefixroute']));
  t.match(v, { addr: { af: 4, text: '192.168.200.18' }, prefix: 24, dev: 'eth1', scope: 253, label: 'eth1:vip', broadcast: { text: '192.168.200.255' }, noTrack: true, noprefixroute: true, preferredLft: null });
  t.match(value(vipLine(['10.0.0.1/30', 'brd', '-'])), { broadcast: { text: '10.0.0.0' } });
  t.match(value(vipLine(['10.0.0.1/31', 'brd', '+'])), { broadcast: null }, 'no computed broadcast beyond /30');
  t.match(value(vipLine(['10.0.0.1', 'scope', '200'])), { scope: 200 });
  t.match(value(vipLine(['10.0.0.1', 'peer', '10.0.0.2/30'])), { peer: { text: '10.0.0.2' }, prefix: 30 });
  t.match(value(vipLine(['2001:db8::1'])), { prefix: 128, preferredLft: 0 }, 'v6 /128 is deprecated unless preferred_lft is given');
  t.match(value(vipLine(['2001:db8::1/64', 'label', 'x'])), { preferredLft: 'forever', label: null });
  t.match(value(vipLine(['2001:db8::1', 'preferred_lft', 'forever'])), { preferredLft: 'forever' });
  t.match(value(vipLine(['2001:db8::1', 'brd', '+'])), /ERR cannot give a broadcast address to the IPv6 address/);
  t.match(value(vipLine(['10.0.0.1', 'dev'])), /ERR option dev needs a value/);
  t.match(value(vipLine(['10.0.0.1', 'scope', 'galaxy'])), /ERR scope must be/);
  t.match(value(vipLine(['10.0.0.1', 'colour', 'red'])), /ERR has unknown option "colour"/);
  t.match(value(vipLine(['10.0.0.1', 'peer', '2001:db8::1'])), /ERR peer must be an IPv4 address/);
});
