/**
 * Well-formed command lines → the table operation lvsadm sends: ipvsadm's defaults (wlc, weight 1, direct
 * routing, -p = 360 s, /32 mask), its port rules, popt's spellings, and its order-dependent quirks.
 */
import t from 'tap';
import type { TableOp } from '../../../src/model/ops.js';
import { NO_SCHED_FLAGS } from '../../../src/model/service.js';
import { FakeIpvs } from '../../../src/testing/fake-ipvs.js';
import { fixedBackend, lvsadm } from './fixtures/helpers.js';
import { fwm, ip, referenceTable, spec, tcp, udp } from './fixtures/tables.js';

async function opOf(argv: string[]): Promise<TableOp> {
  const b = fixedBackend(referenceTable());
  const r = await lvsadm(argv, b);
  if (r.code !== 0 || b.ops.length !== 1) throw new Error(`lvsadm ${argv.join(' ')}: ${r.code} ${r.err}`);
  return b.ops[0]!;
}

const route = { weight: 1, fwd: 'route', tunType: 'ipip', tunPort: 0, tunFlags: 0, uThreshold: 0, lThreshold: 0 } as const;

t.test('services: defaults and every service option', async (t) => {
  t.same(await opOf(['-A', '-t', '10.0.0.1:80']), { op: 'add-service', spec: spec(tcp('10.0.0.1', 80)) });
  for (const argv of [['-At10.0.0.1:80'], ['--add-service', '--tcp-service=10.0.0.1:80'], ['-A', '-t=10.0.0.1:80'], ['-A', '-t', '10.0.0.1:http'], ['-A', '-t', '10.0.0.1:www']]) {
    t.same(await opOf(argv), { op: 'add-service', spec: spec(tcp('10.0.0.1', 80)) }, argv.join(' '));
  }
  t.same(await opOf(['-A', '-t', '10.0.0.1:80', '-p']), { op: 'add-service', spec: spec(tcp('10.0.0.1', 80), { persistence: 360 }) }, 'bare -p is 360 s');
  t.same(await opOf(['-A', '-t', '10.0.0.1:80', '-p', '-M', '255.255.0.0']),
    { op: 'add-service', spec: spec(tcp('10.0.0.1', 80), { persistence: 360, netmask: 0xffff0000 }) }, '-p before another option takes no value');
  t.same(await opOf(['-A', '-t', '10.0.0.1:80', '-p600']), { op: 'add-service', spec: spec(tcp('10.0.0.1', 80), { persistence: 600 }) });
  t.same(await opOf(['-A', '-t', '10.0.0.1:0', '-p', '60']), { op: 'add-service', spec: spec(tcp('10.0.0.1', 0), { persistence: 60 }) }, 'port 0 when persistent');
  t.same(await opOf(['-E', '-u', '10.0.0.2:domain', '-s', 'sh', '-b', 'sh-fallback,sh-port', '-p', '600', '-M', '255.255.255.0', '-o']), {
    op: 'edit-service',
    spec: spec(udp('10.0.0.2', 53), { scheduler: 'sh', flags: { fallback: true, port: true, flag3: false }, persistence: 600, netmask: 0xffffff00, ops: true }),
  });
  t.same(await opOf(['-A', '--sctp-service', '[2001:db8::1]:5060', '-s', 'rr', '-b', 'flag-3', '--pe', 'sip', '-p', '30', '-M', '64']), {
    op: 'add-service',
    spec: { ...spec({ kind: 'addr', protocol: 'sctp', addr: ip('2001:db8::1'), port: 5060 }, { scheduler: 'rr', persistence: 30, pe: 'sip', netmask: 64 }), flags: { ...NO_SCHED_FLAGS, flag3: true } },
  });
  t.same(await opOf(['-A', '-f', '7', '-6', '-o']), { op: 'add-service', spec: spec(fwm(7, 6), { ops: true }) }, '-6 after -f, ops allowed for fwmark');
  t.same(await opOf(['-A', '-t', '10.1:80']), { op: 'add-service', spec: spec(tcp('10.0.0.1', 80)) }, 'inet_aton short form');
  t.same(await opOf(['-A', '-t', '0x0a000001:80']), { op: 'add-service', spec: spec(tcp('10.0.0.1', 80)) }, 'inet_aton hex');
  t.same(await opOf(['-A', '-t', '[1.2.3.4]:80', '-p']), { op: 'add-service', spec: spec(tcp('1.2.3.4', 0), { persistence: 360 }) },
    'a bracketed v4 address loses its port, as in ipvsadm');
  t.same(await opOf(['-A', '-t', '10.0.0.1:80', '-s', 'a-scheduler-name-too-long']),
    { op: 'add-service', spec: spec(tcp('10.0.0.1', 80), { scheduler: 'a-scheduler-na' + 'm' }) }, 'scheduler cut at 15 characters');
  t.same(await opOf(['-A', '-M', '64', '-t', '[2001:db8::1]:80', '-p']), { op: 'add-service', spec: spec(tcp('2001:db8::1', 80), { persistence: 360 }) },
    '-M before a v6 -t is overridden by /128');
});

t.test('real servers: port rules, forwarding, tunnels', async (t) => {
  const vs = tcp('10.0.0.1', 80);
  t.same(await opOf(['-a', '-t', '10.0.0.1:80', '-r', '192.168.1.10']), { op: 'add-dest', service: vs, dest: { addr: ip('192.168.1.10'), port: 80, ...route } },
    'port from the service, direct routing, weight 1');
  t.same(await opOf(['-a', '-t', '10.0.0.1:80', '-r', '192.168.1.10:8080']), { op: 'add-dest', service: vs, dest: { addr: ip('192.168.1.10'), port: 80, ...route } },
    'DR forces the service port');
  t.same(await opOf(['-a', '-t', '10.0.0.1:80', '-r', '192.168.1.10:8080', '-m', '-w', '0', '-x', '100', '-y', '10']),
    { op: 'add-dest', service: vs, dest: { addr: ip('192.168.1.10'), port: 8080, ...route, fwd: 'masq', weight: 0, uThreshold: 100, lThreshold: 10 } });
  t.same(await opOf(['-a', '-r', '192.168.1.10', '-t', '10.0.0.1:80', '-m']), { op: 'add-dest', service: vs, dest: { addr: ip('192.168.1.10'), port: 0, ...route, fwd: 'masq' } },
    '-r before -t takes the service port as it was then: 0');
  t.same(await opOf(['-a', '-f', '5', '-r', '192.168.1.10:8080']), { op: 'add-dest', service: fwm(5), dest: { addr: ip('192.168.1.10'), port: 8080, ...route } },
    'fwmark services keep the given port');
  t.same(await opOf(['-e', '-t', '[2001:db8::1]:80', '-r', '10.0.0.5:99', '-i', '--tun-type', 'gue', '--tun-port', '6080', '--tun-remcsum']), {
    op: 'edit-dest', service: tcp('2001:db8::1', 80), dest: { addr: ip('10.0.0.5'), port: 80, ...route, fwd: 'tunnel', tunType: 'gue', tunPort: 6080, tunFlags: 2 },
  }, 'a tunnel may cross families; its port is forced too');
  t.same(await opOf(['-a', '-t', '10.0.0.1:80', '-r', '10.0.0.6', '-i', '--tun-type', 'gre', '--tun-csum']),
    { op: 'add-dest', service: vs, dest: { addr: ip('10.0.0.6'), port: 80, ...route, fwd: 'tunnel', tunType: 'gre', tunFlags: 1 } });
  t.same(await opOf(['-d', '-t', '10.0.0.1:80', '-r', '192.168.1.10:8080']), { op: 'del-dest', service: vs, addr: ip('192.168.1.10'), port: 8080 },
    'delete does not force the port');
  t.same(await opOf(['-d', '-t', '10.0.0.1:80', '-r', '192.168.1.10']), { op: 'del-dest', service: vs, addr: ip('192.168.1.10'), port: 80 });
});

t.test('other commands', async (t) => {
  t.same(await opOf(['-D', '-u', '10.0.0.2:53']), { op: 'del-service', id: udp('10.0.0.2', 53) });
  t.same(await opOf(['-C']), { op: 'flush' });
  t.same(await opOf(['--clear']), { op: 'flush' });
  t.same(await opOf(['-Z']), { op: 'zero' });
  t.same(await opOf(['-Z', '-f', '7']), { op: 'zero', service: fwm(7) });
  t.same(await opOf(['-Z', '-t', '0.0.0.0:0']), { op: 'zero' }, 'an all-zero service means all services, as in libipvs');
  t.same(await opOf(['-Z', '-u', '[::]:0']), { op: 'zero' });
  t.same(await opOf(['-Z', '-u', '0.0.0.0:53']), { op: 'zero', service: udp('0.0.0.0', 53) });
  t.same(await opOf(['--set', '900', '0', '300']), { op: 'set-timeouts', timeouts: { tcp: 900, tcpFin: 0, udp: 300 } });
  t.same(await opOf(['--start-daemon', 'backup']), { op: 'start-daemon', daemon: { state: 'backup', mcastIfn: 'eth0', syncId: 0 } });
  t.same(await opOf(['--start-daemon=master', '--mcast-interface', 'eth1', '--syncid', '5', '--mcast-group', 'ff02::81', '--mcast-port', '8848', '--mcast-ttl', '2', '--sync-maxlen', '1400']), {
    op: 'start-daemon', daemon: { state: 'master', mcastIfn: 'eth1', syncId: 5, maxLen: 1400, group: 'ff02::81', port: 8848, ttl: 2 },
  });
  t.same(await opOf(['--stop-daemon', 'master', '--syncid', '3']), { op: 'stop-daemon', state: 'master' });
  t.same(await opOf(['-A', '-t', '10.0.0.1:80', '--', '-x']).catch((e: Error) => e.message), 'lvsadm -A -t 10.0.0.1:80 -- -x: 2 unexpected argument -x\n',
    'after -- every word is an argument');
});

t.test('the daemon’s errors print with ipvs_strerror’s wording for that command, status 255', async (t) => {
  const b = new FakeIpvs();
  const run = (...argv: string[]) => lvsadm(argv, b);
  t.same(await run('-A', '-t', '10.0.0.1:80'), { code: 0, out: '', err: '' });
  t.same(await run('-A', '-t', '10.0.0.1:80'), { code: 255, out: '', err: 'Service already exists\n' });
  t.same(await run('-E', '-t', '10.0.0.9:80'), { code: 255, out: '', err: 'No such service\n' });
  t.same(await run('-A', '-t', '10.0.0.2:80', '-s', 'nosuch'), { code: 255, out: '', err: 'Scheduler or persistence engine not found\n' });
  t.same(await run('-a', '-t', '10.0.0.9:80', '-r', '10.0.1.1'), { code: 255, out: '', err: 'Service not defined\n' });
  t.same(await run('-a', '-t', '10.0.0.1:80', '-r', '10.0.1.1'), { code: 0, out: '', err: '' });
  t.same(await run('-a', '-t', '10.0.0.1:80', '-r', '10.0.1.1'), { code: 255, out: '', err: 'Destination already exists\n' });
  t.same(await run('-e', '-t', '10.0.0.1:80', '-r', '10.0.1.2'), { code: 255, out: '', err: 'No such destination\n' });
  t.same(await run('-e', '-t', '10.0.0.1:80', '-r', '10.0.1.1', '-x', '5', '-y', '6'), { code: 255, out: '', err: 'Numerical result out of range\n' });
  t.same(await run('-Z', '-u', '10.0.0.1:80'), { code: 255, out: '', err: 'No such service\n' });
  t.same(await run('--stop-daemon', 'backup'), { code: 255, out: '', err: 'No daemon is running\n' });
  t.same(await run('--start-daemon', 'backup'), { code: 0, out: '', err: '' });
  t.same(await run('--start-daemon', 'backup'), { code: 255, out: '', err: 'Daemon has already run\n' });
  t.same(await run('-L', '-n', '-t', '10.0.0.9:80'), { code: 1, out: '', err: 'No such service\n' });
});
