/**
 * `-S` output fed to `-R` rebuilds the same table (through FakeIpvs, which keeps a real table), and -R
 * treats failing lines as ipvsadm's restore_table() does.
 */
import t from 'tap';
import type { TablePort } from '../../../src/ports/table.js';
import type { TableOp } from '../../../src/model/ops.js';
import { serviceKey, destKey } from '../../../src/model/service.js';
import type { TableSnapshot } from '../../../src/model/table.js';
import { FakeIpvs } from '../../../src/testing/fake-ipvs.js';
import { runLvsadm } from '../../../src/cli/run.js';
import { lvsadm } from './fixtures/helpers.js';

const BUILD = [
  '-A -t 10.0.0.1:80 -s wlc',
  '-a -t 10.0.0.1:80 -r 192.168.1.11:80 -g -w 3',
  '-a -t 10.0.0.1:80 -r 192.168.1.10:8080 -m',
  '-A -u 10.0.0.2:53 -s sh -p 360 -M 255.255.255.0 -o -b sh-fallback,sh-port',
  '-a -u 10.0.0.2:53 -r 192.168.1.20 -m -w 0',
  '-A -t 200.0.0.1:443 -s mh -b mh-port -p',
  '-A --sctp-service 10.0.0.3:5060 -s rr --pe sip -p 30',
  '-A -t [2001:db8::1]:443 -s wrr -p 100 -M 64',
  '-a -t [2001:db8::1]:443 -r [2001:db8::10]:443 -m -w 7',
  '-a -t [2001:db8::1]:443 -r 10.9.9.9 -i --tun-type gue --tun-port 6080 --tun-csum',
  '-A -f 7 -s rr',
  '-a -f 7 -r 192.168.1.30:0 -i',
  '-a -f 7 -r 192.168.1.31:0 -i --tun-type gue --tun-port 6080 --tun-remcsum',
  '-a -f 7 -r 192.168.1.32:0 -i --tun-type gre --tun-nocsum',
  '-A -f 8 -6 -s lc -p 60 -M 48',
  '-a -f 8 -6 -r [2001:db8::20]:0 -m -w 2',
  '-A -f 4294967295 -s fo',
];

/** Services and servers keyed by identity, so tables built in different orders compare equal. */
function normal(t: TableSnapshot): unknown {
  return [...t.services].sort((a, b) => serviceKey(a.spec.id).localeCompare(serviceKey(b.spec.id))).map((s) => ({
    ...s, dests: [...s.dests].sort((a, b) => destKey(a.spec.addr, a.spec.port).localeCompare(destKey(b.spec.addr, b.spec.port))),
  }));
}

async function built(): Promise<FakeIpvs> {
  const b = new FakeIpvs();
  for (const line of BUILD) {
    const r = await lvsadm(line.split(' '), b);
    if (r.code !== 0) throw new Error(`${line}: ${r.err}`);
  }
  return b;
}

for (const saveArgs of [['-S', '-n'], ['-S']]) {
  t.test(`lvsadm ${saveArgs.join(' ')} | lvsadm -R rebuilds the table`, async (t) => {
    const a = await built();
    const saved = await lvsadm(saveArgs, a);
    t.equal(saved.code, 0);
    t.equal(saved.out.split('\n').length - 1, BUILD.length, 'one line per service and server');
    const b = new FakeIpvs();
    const r = await lvsadm(['-R'], b, saved.out);
    t.same([r.code, r.out, r.err], [0, '', '']);
    t.same(normal(await b.snapshot()), normal(await a.snapshot()));
    t.equal((await lvsadm(saveArgs, b)).out, saved.out, 'and saves to the same text');
  });
}

t.test('like ipvsadm, -S does not write connection thresholds (-x/-y), so they are not restored', async (t) => {
  const a = new FakeIpvs();
  await lvsadm('-A -t 10.0.0.1:80'.split(' '), a);
  await lvsadm('-a -t 10.0.0.1:80 -r 10.0.1.1 -m -x 100 -y 5'.split(' '), a);
  t.equal((await lvsadm(['-Sn'], a)).out, '-A -t 10.0.0.1:80 -s wlc\n-a -t 10.0.0.1:80 -r 10.0.1.1:80 -m -w 1\n');
});

t.test('the table really is checked: a restore that loses a server is caught', async (t) => {
  const a = await built();
  const saved = (await lvsadm(['-Sn'], a)).out.split('\n').filter((l) => !l.includes('192.168.1.31')).join('\n');
  const b = new FakeIpvs();
  await lvsadm(['-R'], b, saved);
  t.not(JSON.stringify(normal(await b.snapshot())), JSON.stringify(normal(await a.snapshot())));
});

/** Counts apply() calls, to see batching. */
function counting(inner: TablePort): TablePort & { batches: TableOp[][] } {
  const batches: TableOp[][] = [];
  return {
    batches,
    apply: (ops) => { batches.push([...ops]); return inner.apply(ops); },
    snapshot: () => inner.snapshot(),
    connections: () => inner.connections(),
    close: () => inner.close(),
  };
}

t.test('a failing operation is reported and the restore goes on; the status is the last line’s', async (t) => {
  const mem = new FakeIpvs();
  const b = counting(mem);
  const input = ['-A -t 10.0.0.1:80', '-A -t 10.0.0.1:80', '-a -t 10.0.0.1:80 -r 10.0.1.1', 'ipvsadm -a -t 10.0.0.9:80 -r 10.0.1.1', '', '  ', '-A -u 10.0.0.1:53'].join('\n');
  const r = await lvsadm(['-R'], b, input);
  t.same([r.code, r.out, r.err], [0, '', 'Service already exists\nService not defined\n']);
  t.equal(mem.applied.length, 3);
  t.same(b.batches.map((x) => x.length), [5], 'one batch: every op tried, each failure reported in its place');
  const last = await lvsadm(['-R'], new FakeIpvs(), '-A -t 10.0.0.1:80\n-D -t 10.0.0.2:80\n');
  t.same([last.code, last.err], [255, 'No such service\n'], 'the last line failed');
});

t.test('a popt error ends its line only; an argument error ends the restore', async (t) => {
  const mem = new FakeIpvs();
  const r = await lvsadm(['-R'], mem, '-A -t 10.0.0.1:80\n-A -t 10.0.0.2:80 --bogus\n-A -t 10.0.0.3:80\n-A -t 10.0.0.4:80 -w 5\n-A -t 10.0.0.5:80\n');
  t.same([r.code, r.out, r.err], [2, '', "--bogus: unknown option\nIllegal 'weight' option with the 'add-service' command\n"]);
  t.same(mem.applied.map((o) => (o.op === 'add-service' && o.spec.id.kind === 'addr' ? o.spec.id.addr.text : '')), ['10.0.0.1', '10.0.0.3'],
    'lines before the bad one are applied, none after');
  const popt = await lvsadm(['-R'], new FakeIpvs(), '-A -t 10.0.0.1:80\n-C --bogus\n');
  t.same([popt.code, popt.err], [255, '--bogus: unknown option\n']);
});

t.test('no nested -R; comment lines are not special (ipvsadm-restore strips them)', async (t) => {
  const nested = await lvsadm(['-R'], new FakeIpvs(), '-A -t 10.0.0.1:80\n-R\n');
  t.same([nested.code, nested.err], [255, "Try `ipvsadm -h' or 'ipvsadm --help' for more information.\n"]);
  const mem = new FakeIpvs();
  const comment = await lvsadm(['-R'], mem, '-A -t 10.0.0.1:80\n# a comment\n-A -t 10.0.0.2:80\n');
  t.equal(comment.code, 255);
  t.equal(mem.applied.length, 1);
});

t.test('list lines inside -R see the table as it is at that line', async (t) => {
  const r = await lvsadm(['-R'], new FakeIpvs(), '-A -t 10.0.0.1:80\n-L -n --timeout\n--set 10 20 30\n-L --timeout\n-Sn\n');
  t.same([r.code, r.err], [0, '']);
  t.equal(r.out, 'Timeout (tcp tcpfin udp): 900 120 300\nTimeout (tcp tcpfin udp): 10 20 30\n-A -t 10.0.0.1:80 -s wlc\n');
});

t.test('-R reads stdin lazily, only when it runs', async (t) => {
  let reads = 0;
  const stdin = async () => { reads++; return '-A -t 10.0.0.1:80\n'; };
  let out = '';
  const mem = new FakeIpvs();
  t.equal(await runLvsadm(['-Ln'], { stdin, out: (s) => { out += s; }, err: () => undefined }, mem), 0);
  t.equal(reads, 0);
  t.equal(await runLvsadm(['-R'], { stdin, out: (s) => { out += s; }, err: () => undefined }, mem), 0);
  t.equal(reads, 1);
  t.equal(mem.applied.length, 1);
});
