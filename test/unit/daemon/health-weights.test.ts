import t from 'tap';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { startDaemon } from '../../../src/testing/daemon.js';
import { DaemonView, KillableServer, scratch, until } from '../../../src/testing/health-lab.js';
import { freePort } from '../../../src/platform/free-port.js';

// What a checker does to the table beside up/down, through the real daemon and proxy plane: inhibit_on_failure
// (weight 0 instead of removal), alpha (out until the first success), misc_dynamic (exit code − 2 as the weight,
// exit 1 down), FILE_CHECK (value × weight added); and hostile MISC_CHECK scripts (a child that never exits,
// 10 MB of output) that leave lvsd up, its memory bounded, each failure named with its reason.

const VIP = '127.0.0.70';
/** A marker no other process on the machine runs: the forked child left behind must not survive. */
const LINGER = 'sleep 987.654';

function rssKiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m?.[1] ?? 0);
}

function lingering(): number {
  try {
    return execFileSync('pgrep', ['-f', LINGER], { encoding: 'utf8' }).trim().split('\n').length;
  } catch {
    return 0;
  }
}

t.test('inhibit_on_failure, alpha, misc_dynamic and FILE_CHECK reach the table; hostile scripts are failures', async (t) => {
  const { dir, script } = scratch((fn) => t.teardown(fn));
  const [inh, alp] = await Promise.all(['127.0.0.71', '127.0.0.72'].map((h) => KillableServer.start(h)));
  t.teardown(() => { inh!.kill(); alp!.kill(); });
  fs.writeFileSync(`${dir}/code`, '7\n');
  fs.writeFileSync(`${dir}/track`, '2\n');
  const dyn = script('dyn.sh', `exit $(cat ${dir}/code)`);
  const fork = script('fork.sh', `${LINGER} &\n${LINGER}`);
  const flood = script('flood.sh', 'head -c 10000000 /dev/zero | tr "\\0" x\nexit 1');
  const [vport, hport] = [await freePort(VIP), await freePort(VIP)];
  const file = path.join(dir, 'keepalived.conf');
  const tcp = 'TCP_CHECK {\n      connect_timeout 1\n      retry 0\n    }';
  fs.writeFileSync(file, `track_file tf {
  file ${dir}/track
}
virtual_server ${VIP} ${vport} {
  lb_algo wrr
  lb_kind NAT
  protocol TCP
  delay_loop 1
  real_server ${inh!.host} ${inh!.port} {
    weight 4
    inhibit_on_failure
    ${tcp}
  }
  real_server ${alp!.host} ${alp!.port} {
    weight 3
    alpha
    ${tcp}
  }
  real_server 127.0.0.73 8000 {
    weight 1
    MISC_CHECK {
      misc_path ${dyn}
      misc_timeout 2
      misc_dynamic
    }
  }
  real_server 127.0.0.74 8000 {
    weight 1
    FILE_CHECK {
      track_file tf
      weight 3
    }
  }
}
virtual_server ${VIP} ${hport} {
  lb_algo rr
  lb_kind NAT
  protocol TCP
  delay_loop 1
  real_server 127.0.0.75 8000 {
    MISC_CHECK {
      misc_path ${fork}
      misc_timeout 1
    }
  }
  real_server 127.0.0.76 8000 {
    MISC_CHECK {
      misc_path ${flood}
      misc_timeout 5
    }
  }
}
`);
  const d = await startDaemon(['--dataplane', 'proxy', '-f', file]);
  t.teardown(() => d.stop());
  const view = new DaemonView(d.socket);
  t.teardown(() => view.close());
  const rssAtStart = rssKiB(d.proc.pid!);
  const INH = `${inh!.host}:${inh!.port}`;
  const ALP = `${alp!.host}:${alp!.port}`;
  const of = (prefix: string) => async () => (await view.dests()).filter((x) => x.startsWith(prefix));

  t.same(await of(ALP)(), [], 'alpha: out of the table before its first check');
  t.same(await of('127.0.0.74')(), ['127.0.0.74:8000 w7'], 'FILE_CHECK: 1 + 2 × 3 from the first read');
  await until('alpha server in after its first success', 4000, async () => ((await of(ALP)()).length ? true : undefined));
  t.same(await of(ALP)(), [`${ALP} w3`], 'at its configured weight');
  await until('misc_dynamic weight', 4000, async () => ((await of('127.0.0.73')())[0] === '127.0.0.73:8000 w5' ? true : undefined));
  t.pass('misc_dynamic: exit 7 gives weight 5');

  inh!.kill();
  await until('inhibited server at weight 0', 4000, async () => ((await of(INH)())[0] === `${INH} w0` ? true : undefined));
  t.pass('inhibit_on_failure: weight 0, not removed');
  await inh!.revive();
  await until('inhibited server back at its weight', 3000, async () => ((await of(INH)())[0] === `${INH} w4` ? true : undefined));
  t.pass('and back to weight 4 when it answers');

  fs.writeFileSync(`${dir}/code`, '2\n');
  await until('misc_dynamic weight 0', 4000, async () => ((await of('127.0.0.73')())[0] === '127.0.0.73:8000 w0' ? true : undefined));
  t.pass('misc_dynamic: exit 2 keeps it up at weight 0');
  fs.writeFileSync(`${dir}/code`, '1\n');
  await until('misc exit 1 removes', 4000, async () => ((await of('127.0.0.73')()).length === 0 ? true : undefined));
  t.pass('misc_dynamic: exit 1 is down');
  fs.writeFileSync(`${dir}/track`, '0\n');
  await until('FILE_CHECK follows the file', 3000, async () => ((await of('127.0.0.74')())[0] === '127.0.0.74:8000 w1' ? true : undefined));
  t.pass('FILE_CHECK: value 0 gives back the configured weight');

  // The hostile pair: each down with its reason, several runs each, lvsd's memory bounded, no child left.
  const hostile = async () => (await view.health()).find((v) => v.name.endsWith(`:${hport}`))!.realServers;
  const rs = await until('both hostile scripts judged', 8000, async () => {
    const r = await hostile();
    return r.every((x) => !x.alive && x.checkers[0]!.last !== null) ? r : undefined;
  });
  t.match(rs[0]!.checkers[0]!.last, { up: false, reason: 'timeout' }, 'the script that never exits: down, timed out');
  t.match(rs[1]!.checkers[0]!.last, { up: false, reason: 'exit', detail: /^exit 1: \[lvsd: \d+ more bytes of output not kept\]$/ }, 'the flood: down, exit 1, its output cut and counted');
  t.same(await of('127.0.0.75')(), [], 'neither is in the table');
  t.same(await of('127.0.0.76')(), [], 'the flood is not either');
  // A few more runs of each (delay_loop 1), then: still up, memory bounded, the forked child killed with its group.
  await new Promise((r) => setTimeout(r, 3500));
  const grown = rssKiB(d.proc.pid!) - rssAtStart;
  t.ok(grown < 64 * 1024, `lvsd's resident memory grew ${grown} KiB across 10 MB floods`);
  t.match(d.log(), /MISC_CHECK on service \[127\.0\.0\.75\]:tcp:8000 .*failed.*timeout/, 'the log names the checker and the reason');
  t.equal(d.proc.exitCode, null, 'lvsd still runs');
  await d.stop();
  await until('the forked children are gone', 4000, async () => (lingering() === 0 ? true : undefined));
  t.pass('no forked child outlives its script');
});
