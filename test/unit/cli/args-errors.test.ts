/**
 * Malformed command lines: each gets ipvsadm 1.31's exact stderr and exit status, and changes nothing.
 * Expectations come from ipvsadm.c (fail(2, …), tryhelp_exit, generic_opt_check, tunnel_opt_check) and
 * popt 1.18 ("<token>: <poptStrerror>" then status 255).
 */
import t from 'tap';
import { FakeIpvs } from '../../../src/testing/fake-ipvs.js';
import { lvsadm } from './fixtures/helpers.js';

const TRY = "Try `ipvsadm -h' or 'ipvsadm --help' for more information.\n";
const R = '-r';
const VS = ['-t', '10.0.0.1:80'];

const cases: [string, string[], number, string][] = [
  // the command must come first, and be one
  ['unknown first option', ['--bogus'], 255, TRY],
  ['an option before the command', ['-n', '-L'], 255, TRY],
  ['no option at all', ['foo'], 255, TRY],
  ['two commands', ['-A', ...VS, '-D'], 2, "invalid option `-D'\n"],
  ['two commands clustered', ['-AD', ...VS], 2, "invalid option `-AD'\n"],
  ['-h after the command', ['-L', '-h'], 2, "invalid option `-h'\n"],
  ['a command with a value in second place', ['-L', '--start-daemon', 'master'], 2, "invalid option `master'\n"],
  // popt errors
  ['unknown option', ['-A', ...VS, '--bogus'], 255, '--bogus: unknown option\n'],
  ['unknown short option in a cluster', ['-Lnq'], 255, '-Lnq: unknown option\n'],
  ['missing argument', ['-A', '-t'], 255, '-t: missing argument\n'],
  ['missing scheduler', ['-A', ...VS, '-s'], 255, '-s: missing argument\n'],
  ['value for a flag', ['-L', '--numeric=yes'], 255, '--numeric=yes: option does not take an argument\n'],
  // values
  ['bad port', ['-A', '-t', '10.0.0.1:99999'], 2, 'illegal virtual server address[:port] specified\n'],
  ['unknown port name', ['-A', '-u', '10.0.0.1:nosuchservice'], 2, 'illegal virtual server address[:port] specified\n'],
  ['host names are not resolved', ['-A', '-t', 'www.example.com:80'], 2, 'illegal virtual server address[:port] specified\n'],
  ['digits only', ['-A', '-t', '80'], 2, 'illegal virtual server address[:port] specified\n'],
  ['bracketed v6 without port', ['-A', '-t', '[2001:db8::1]'], 2, 'illegal virtual server address[:port] specified\n'],
  ['bad real server', ['-a', ...VS, R, '10.0.0.300'], 2, 'illegal real server address[:port] specified\n'],
  ['weight out of range', ['-a', ...VS, R, '10.0.0.2', '-w', '65536'], 2, 'illegal weight specified\n'],
  ['negative weight', ['-a', ...VS, R, '10.0.0.2', '-w', '-1'], 2, 'illegal weight specified\n'],
  ['negative upper threshold', ['-a', ...VS, R, '10.0.0.2', '-x', '-1'], 2, 'illegal u_threshold specified\n'],
  ['bad lower threshold', ['-a', ...VS, R, '10.0.0.2', '-y', '1e3'], 2, 'illegal l_threshold specified\n'],
  ['zero persistence', ['-A', ...VS, '-p', '0'], 2, "invalid timeout value `0' specified\n"],
  ['persistence over 31 days', ['-A', ...VS, '-p', '2678401'], 2, "invalid timeout value `2678401' specified\n"],
  ['zero fwmark', ['-A', '-f', '0'], 2, "invalid fwmark value `0' specified\n"],
  ['fwmark over UINT_MAX', ['-A', '-f', '4294967296'], 2, "invalid fwmark value `4294967296' specified\n"],
  ['-6 before -f', ['-A', '-6', '-f', '1'], 2, '-6 used before -f\n\n'],
  ['-6 with -t', ['-A', ...VS, '-6'], 2, '-6 used before -f\n\n'],
  ['bad v4 mask', ['-A', ...VS, '-p', '-M', '255.255.255.0.1'], 2, 'illegal virtual server persistent mask specified\n'],
  ['bad v6 mask', ['-A', '-t', '[2001:db8::1]:80', '-p', '-M', '129'], 2, 'illegal ipv6 netmask specified\n'],
  ['unknown scheduler flag', ['-A', '-b', 'flag-9', ...VS], 2, "invalid scheduler flag `flag-9'\n"],
  ['incompatible scheduler flag', ['-A', ...VS, '-s', 'rr', '-b', 'sh-port'], 2, "incompatible scheduler flag `sh-port'\n"],
  ['mh flag with the default scheduler', ['-A', ...VS, '-b', 'flag-1,mh-port'], 2, "incompatible scheduler flag `mh-port'\n"],
  ['scheduler flags are parsed before the legality check', ['-a', ...VS, R, '10.0.0.2', '-b', 'sh-port'], 2, "incompatible scheduler flag `sh-port'\n"],
  ['bad tunnel type', ['-a', ...VS, R, '10.0.0.2', '-i', '--tun-type', 'vxlan'], 2, 'illegal tunnel type specified\n'],
  ['bad start-daemon', ['--start-daemon', 'primary'], 2, 'illegal start-daemon parameter specified\n'],
  ['bad stop-daemon (ipvsadm’s own spelling)', ['--stop-daemon', 'primary'], 2, 'illegal start_daemon specified\n'],
  ['unicast sync group', ['--start-daemon', 'master', '--mcast-group', '10.0.0.1'], 2, "invalid IPv4 mcast-group `10.0.0.1'\n"],
  ['v6 sync group not multicast', ['--start-daemon', 'master', '--mcast-group', 'fe80::1'], 2, "invalid IPv6 mcast-group `fe80::1'\n"],
  ['syncid out of range', ['--start-daemon', 'master', '--syncid', '256'], 2, 'illegal syncid specified\n'],
  ['--set needs three values', ['--set', '1', '2'], 2, '--set option requires 3 timeout values\n'],
  ['--set value', ['--set', '1', '2', 'x'], 2, "invalid timeout value `x' specified\n"],
  ['--set value over 31 days', ['--set', '2678401', '0', '0'], 2, "invalid timeout value `2678401' specified\n"],
  ['unexpected argument', ['-L', 'foo'], 2, 'unexpected argument foo\n'],
  ['one option twice', ['-a', ...VS, R, '10.0.0.2', '-m', '-g'], 2, "multiple 'forwarding-method' options specified\n"],
  ['two services', ['-A', ...VS, '-f', '1'], 2, "multiple 'service-address' options specified\n"],
  // commands_v_options
  ['missing service', ['-A'], 2, "You need to supply the 'service-address' option for the 'add-service' command\n"],
  ['missing real server', ['-a', ...VS], 2, "You need to supply the 'real-server' option for the 'add-server' command\n"],
  ['real server with -A', ['-A', ...VS, R, '10.0.0.2'], 2, "Illegal 'real-server' option with the 'add-service' command\n"],
  ['weight with -d', ['-d', ...VS, R, '10.0.0.2', '-w', '5'], 2, "Illegal 'weight' option with the 'delete-server' command\n"],
  ['service with -C', ['-C', ...VS], 2, "Illegal 'service-address' option with the 'flush' command\n"],
  ['-n with -Z', ['-Z', '-n'], 2, "Illegal 'numeric' option with the 'zero' command\n"],
  ['--stats with -S', ['-S', '--stats'], 2, "Illegal 'stats' option with the 'save' command\n"],
  ['-o with -a', ['-a', ...VS, R, '10.0.0.2', '-o'], 2, "Illegal 'ops' option with the 'add-server' command\n"],
  ['exclusive list options', ['-L', '-c', '--timeout'], 2, "The option 'timeout' conflicts with the 'connection' option in the 'list' command\n"],
  ['service and --daemon', ['-L', '--daemon', ...VS], 2, "The option 'daemon' conflicts with the 'service-address' option in the 'list' command\n"],
  // process_options rules
  ['options conflict: -c with --stats', ['-L', '-c', '--stats'], 2, 'options conflicts in the list command\n'],
  ['options conflict: --timeout with --persistent-conn', ['-L', '--timeout', '--persistent-conn'], 2, 'options conflicts in the list command\n'],
  ['zero port without persistence', ['-A', '-t', '10.0.0.1'], 2, 'Zero port specified for non-persistent service\n'],
  ['-o with TCP', ['-A', ...VS, '-o'], 2, 'One-Packet Scheduling is only for UDP virtual services\n'],
  ['v6 server for a v4 service', ['-a', ...VS, R, '[2001:db8::2]:80', '-m'], 2, 'Different address family is allowed only for tunneling servers\n'],
  ['tunnel options without -i', ['-a', ...VS, R, '10.0.0.2', '-m', '--tun-type', 'gue'], 2, 'Tunnel options conflict with forward method\n'],
  ['gue needs a port', ['-a', ...VS, R, '10.0.0.2', '-i', '--tun-type', 'gue'], 2, "You need to supply the 'tun-port' option for the 'gue' tunnel type\n"],
  ['gre takes no port', ['-a', ...VS, R, '10.0.0.2', '-i', '--tun-type', 'gre', '--tun-port', '5'], 2, "Illegal 'tun-port' option with the 'gre' tunnel type\n"],
  ['ipip takes no checksum option', ['-a', ...VS, R, '10.0.0.2', '-i', '--tun-csum'], 2, "Illegal 'tun-csum' option with the 'ipip' tunnel type\n"],
  ['one checksum option', ['-a', ...VS, R, '10.0.0.2', '-i', '--tun-type', 'gue', '--tun-port', '6080', '--tun-csum', '--tun-nocsum'], 2,
    "The option 'tun-csum' conflicts with the 'tun-nocsum' option in the 'gue' tunnel type\n"],
];

for (const [name, argv, code, err] of cases) {
  t.test(`${name}: ipvsadm ${argv.join(' ')}`, async (t) => {
    const backend = new FakeIpvs();
    const r = await lvsadm(argv, backend);
    t.equal(r.err, err);
    t.equal(r.code, code);
    t.equal(r.out, '');
    t.same(backend.applied, [], 'nothing reached the table');
  });
}

t.test('-h and -v print to stdout and exit 0, naming the invoked program', async (t) => {
  const help = await lvsadm(['-h'], new FakeIpvs());
  t.equal(help.code, 0);
  t.match(help.out, /^ipvsadm v1\.31 2019\/12\/24 \(compiled with popt and IPVS v1\.2\.1\)\nUsage:\n {2}ipvsadm -A\|E virtual-service /);
  t.match(help.out, /\n {2}--syncid sid {24}syncid for connection sync \(default=255\)\n/);
  t.equal((await lvsadm(['--help', '--bogus'], new FakeIpvs())).code, 0, 'nothing after -h is parsed');
  const v = await lvsadm(['-v'], new FakeIpvs());
  t.same([v.code, v.out, v.err], [0, 'ipvsadm v1.31 2019/12/24 (compiled with popt and IPVS v1.2.1)\n', '']);
});
