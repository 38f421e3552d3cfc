// /metrics and /status.json of a running lvsd with health checking and VRRP: in a network-namespace lab lvsd (in
// a) runs a vrrp_instance on the bridge and TCP_CHECKs a real server in c. The keepalived exporter's VRRP series
// and lvsd's checker series appear with their labels, an advert c replays from its own address is counted as
// received and rejected (its checksum covers the sender's address, RFC 5798 §5.2.8), killing the real server
// shows in lvsd_checker_up / lvsd_checker_transitions_total, and promtool accepts every scrape.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { Lab } from '../../src/testing/netns.js';
import { VrrpLab } from '../../src/testing/vrrp-lab.js';
import { NativeVrrpTransport } from '../../src/platform/vrrp-socket.js';
import { missing } from '../../src/testing/peers.js';

const skip = Lab.canRun() ?? missing('promtool', 'curl');
const VRID = 57;

const conf = (lab: VrrpLab): string => `global_defs {
  router_id m
  vrrp_version 3
}
vrrp_instance VI_7 {
  state BACKUP
  interface lan0
  virtual_router_id ${VRID}
  priority 150
  advert_int 0.1
  virtual_ipaddress {
    ${lab.addr(100)}/24
  }
}
virtual_server ${lab.addr(100)} 80 {
  lb_algo rr
  lb_kind NAT
  protocol TCP
  delay_loop 1
  real_server ${lab.addr(3)} 8080 {
    weight 3
    TCP_CHECK {
      connect_timeout 1
      retry 0
    }
  }
}
`;

const SERVER = "require('net').createServer((s) => s.end()).listen(8080, process.argv[1])";

t.test('a running lvsd serves VRRP and checker series and status', { skip: skip ?? false }, async (t) => {
  const lab = new VrrpLab('vm', 14);
  t.teardown(() => lab.teardown());
  const rs = lab.lab.spawn(lab.c, process.execPath, ['-e', SERVER, lab.addr(3)]);
  t.teardown(() => rs.kill('SIGKILL'));
  const url = `http://${lab.addr(1)}:9165`;
  const d = lab.start(lab.a, 'm', conf(lab), ['--metrics', `${lab.addr(1)}:9165`]);
  t.teardown(() => {
    if (!t.passing()) t.comment(d.text());
    d.proc.kill('SIGTERM');
  });
  await lab.until('VI_7 to become MASTER', () => d.states('VI_7').at(-1)?.state === 'MASTER', 10_000);
  const get = (p: string): string => lab.lab.exec(lab.a, 'curl', ['-sS', '--max-time', '5', `${url}${p}`]);
  const scrape = (): string => {
    const body = get('/metrics');
    const check = spawnSync('promtool', ['check', 'metrics'], { input: body, encoding: 'utf8' });
    t.equal(check.status, 0, `promtool check metrics: ${check.stdout}${check.stderr}`);
    return body;
  };

  // c replays a's advert from its own address: received by VI_7, refused for its checksum.
  let advert: Uint8Array | null = null;
  const c = new NativeVrrpTransport({ netns: `/run/netns/${lab.c}` }).open({ family: 4, interface: 'lan0', onPacket: (p) => { advert ??= p.bytes; } });
  t.teardown(() => c.close());
  await lab.until('an advert from a', () => advert !== null, 2_000);
  c.send(advert!);

  const inst = `iname="VI_7",intf="lan0",vrid="${VRID}"`;
  const backend = `local_address="${lab.addr(100)}",local_port="80",remote_address="${lab.addr(3)}",remote_port="8080",proto="TCP",local_mark=""`;
  let m = '';
  await lab.until('the replayed advert counted', () => (m = scrape()).includes(`\nlvsd_vrrp_rejected_adverts_total{${inst},reason="checksum"} 1\n`), 3_000)
    .catch((e: Error) => { throw new Error(`${e.message}\n${m}`); });
  t.match(m, `\nkeepalived_vrrp_state{${inst},ip_address="${lab.addr(100)}"} 2\n`, 'MASTER is 2, one series per VIP');
  t.match(m, `\nkeepalived_become_master_total{${inst}} 1\n`);
  t.match(m, `\nkeepalived_release_master_total{${inst}} 0\n`);
  t.match(m, `\nkeepalived_advertisements_received_total{${inst}} 1\n`);
  t.match(m, new RegExp(`\\nkeepalived_advertisements_sent_total\\{${inst}\\} [1-9]\\d*\\n`));
  t.match(m, `\nlvsd_vrrp_priority{${inst}} 150\n`);
  t.match(m, `\nlvsd_checker_up{${backend},checker="TCP_CHECK"} 1\n`);
  t.match(m, `\nlvsd_backend_up{${backend}} 1\n`);
  t.match(m, `\nlvsd_backend_health_weight{${backend}} 3\n`);
  t.match(m, `\nlvsd_service_quorum_up{local_address="${lab.addr(100)}",local_port="80",proto="TCP",local_mark=""} 1\n`);

  const doc = JSON.parse(get('/status.json')) as {
    vrrp: Array<{ name: string; interface: string; vrid: number; state: string; priority: number; vips: string[]; becomeMaster: number }> | null;
    services: Array<{ quorumUp: boolean | null; realServers: Array<{ health: { alive: boolean; checkers: Array<{ type: string; up: boolean }> } | null }> }>;
    transitions: Array<{ kind: string; subject: string; to: string }>;
  };
  t.same(doc.vrrp?.map((i) => [i.name, i.interface, i.vrid, i.state, i.priority, i.vips, i.becomeMaster]), [['VI_7', 'lan0', VRID, 'MASTER', 150, [lab.addr(100)], 1]]);
  t.equal(doc.services[0]?.quorumUp, true);
  t.same(doc.services[0]?.realServers[0]?.health?.checkers.map((x) => [x.type, x.up]), [['TCP_CHECK', true]]);
  t.ok(doc.transitions.some((x) => x.kind === 'vrrp' && x.subject === 'VRRP instance VI_7' && x.to === 'MASTER'), 'the takeover is a recent transition');

  // The real server goes: its checker fails within delay_loop + connect_timeout, and scrapes say so.
  rs.kill('SIGKILL');
  await lab.until('the checker to fail', () => (m = scrape()).includes(`\nlvsd_checker_up{${backend},checker="TCP_CHECK"} 0\n`), 6_000)
    .catch((e: Error) => { throw new Error(`${e.message}\n${m}`); });
  t.match(m, `\nlvsd_checker_transitions_total{${backend},checker="TCP_CHECK"} 1\n`);
  t.match(m, `\nlvsd_backend_up{${backend}} 0\n`);
  t.match(m, `\nlvsd_service_quorum_up{local_address="${lab.addr(100)}",local_port="80",proto="TCP",local_mark=""} 0\n`);
});
