// The collectors and the status document from in-memory sources: a FakeIpvs table (the kernel's rules in
// memory), a real HealthRunner on a FakeClock with scripted peers, and a VRRP status as VrrpNode reports it.
import t from 'tap';
import { escapeLabelValue, ExpositionWriter, formatValue } from '../../../src/metrics/exposition.js';
import { writeTable } from '../../../src/metrics/collect-table.js';
import { writeHealth, writeVrrp } from '../../../src/metrics/collect-status.js';
import { healthSource } from '../../../src/metrics/health-source.js';
import { statusDoc } from '../../../src/metrics/status-doc.js';
import { HealthRunner } from '../../../src/health/runner.js';
import { FakeIpvs } from '../../../src/testing/fake-ipvs.js';
import { FakeClock } from '../../../src/testing/fake-clock.js';
import { destSpec, serviceSpec, svcId } from '../../../src/testing/specs.js';
import type { VrrpInstanceStatus, VrrpStatusSource } from '../../../src/ports/status.js';
import { config, fixedRandom, Recorder, ScriptedPeers } from '../health/fixtures/peers.js';

t.test('exposition: label escaping and the non-finite spellings Prometheus parses', async (t) => {
  t.equal(escapeLabelValue('a\\b"c\nd'), 'a\\\\b\\"c\\nd');
  t.equal(escapeLabelValue('plain'), 'plain');
  t.same([formatValue(NaN), formatValue(Infinity), formatValue(-Infinity), formatValue(2.5)], ['NaN', '+Inf', '-Inf', '2.5']);
});

t.test('table families: node_exporter labels for address and fwmark services, totals, and slices', async (t) => {
  const ipvs = new FakeIpvs();
  const tcp = svcId('10.0.0.1:80');
  const fwm = { kind: 'fwmark', fwmark: 1234, af: 4 } as const;
  const v6 = svcId('[2001:db8:0::1]:443', 'udp');
  await ipvs.apply([{ op: 'add-service', spec: serviceSpec(tcp) }]);
  await ipvs.apply([{ op: 'add-dest', service: tcp, dest: destSpec('10.0.1.1:8080', { weight: 7 }) }]);
  await ipvs.apply([{ op: 'add-service', spec: serviceSpec(fwm) }]);
  await ipvs.apply([{ op: 'add-dest', service: fwm, dest: destSpec('10.0.1.2:0', { fwd: 'route' }) }]);
  await ipvs.apply([{ op: 'add-service', spec: serviceSpec(v6) }]);
  let pauses = 0;
  const chunks: string[] = [];
  await writeTable(await ipvs.snapshot(), { write: (c) => { chunks.push(c); }, pause: async () => { pauses++; } }, 1);
  const text = chunks.join('');
  t.equal(pauses, 2 + 8 * 3, 'a pause between label slices, and after each slice of each of the 8 families');
  t.ok(chunks.length >= 8 * 3, 'written in chunks, not as one string');
  t.match(text, '\nnode_ipvs_backend_weight{local_address="10.0.0.1",local_port="80",remote_address="10.0.1.1",remote_port="8080",proto="TCP",local_mark=""} 7\n');
  t.match(text, '\nnode_ipvs_backend_weight{local_address="",local_port="0",remote_address="10.0.1.2",remote_port="0",proto="FWM",local_mark="000004D2"} 1\n', 'fwmark as /proc prints it');
  t.match(text, '\nlvsd_service_connections_total{local_address="2001:db8::1",local_port="443",proto="UDP",local_mark=""} 0\n');
  t.match(text, '\nlvsd_services 3\n');
  t.match(text, '\nlvsd_real_servers 2\n');
  t.equal(text.match(/# TYPE node_ipvs_backend_weight gauge/g)?.length, 1, 'each family has one header, its samples together');
});

const cfg = config(`virtual_server 10.0.0.1 80 {
 lb_algo rr
 lb_kind NAT
 protocol TCP
 delay_loop 10
 real_server 10.0.1.1 80 {
  weight 2
  TCP_CHECK {
   warmup 0
   retry 0
  }
 }
 real_server 10.0.1.2 80 {
  weight 1
  TCP_CHECK {
   warmup 0
  }
 }
}
`);

t.test('health from a real HealthRunner: metrics, transitions, and a real server out of the table still listed', async (t) => {
  const clock = new FakeClock();
  const peers = new ScriptedPeers(clock);
  const rec = new Recorder(clock);
  const runner = new HealthRunner(cfg, { clock, prober: peers, random: fixedRandom(0), sink: rec.sink });
  const EPOCH = Date.UTC(2026, 0, 1);
  const src = healthSource(runner, (ms) => EPOCH + ms);
  runner.start();
  t.teardown(() => runner.stop());
  peers.set('10.0.1.1:80', 'refused');
  peers.set('10.0.1.2:80', 'up');
  await clock.advanceAsync(2_000);
  const w = new ExpositionWriter();
  writeHealth(w, src);
  const text = w.text();
  const rs1 = 'local_address="10.0.0.1",local_port="80",remote_address="10.0.1.1",remote_port="80",proto="TCP",local_mark=""';
  t.match(text, `\nlvsd_backend_up{${rs1}} 0\n`);
  t.match(text, `\nlvsd_checker_up{${rs1},checker="TCP_CHECK"} 0\n`);
  t.match(text, `\nlvsd_checker_transitions_total{${rs1},checker="TCP_CHECK"} 1\n`);
  t.match(text, '\nlvsd_backend_up{local_address="10.0.0.1",local_port="80",remote_address="10.0.1.2",remote_port="80",proto="TCP",local_mark=""} 1\n');
  t.match(text, '\nlvsd_service_quorum_up{local_address="10.0.0.1",local_port="80",proto="TCP",local_mark=""} 1\n');

  // The table as health left it: 10.0.1.1 removed (no inhibit_on_failure).
  const ipvs = new FakeIpvs();
  const id = svcId('10.0.0.1:80');
  await ipvs.apply([{ op: 'add-service', spec: serviceSpec(id, { scheduler: 'rr' }) }]);
  await ipvs.apply([{ op: 'add-dest', service: id, dest: destSpec('10.0.1.2:80') }]);
  const doc = await statusDoc({ version: 't', plane: 'ipvs', startedAt: EPOCH, table: () => ipvs.snapshot(), health: src }, EPOCH + 2_000);
  t.match(doc.services[0]!.realServers, [
    { address: '10.0.1.2', inTable: true, weight: 1, health: { alive: true } },
    { address: '10.0.1.1', inTable: false, weight: null, health: { alive: false, checkers: [{ type: 'TCP_CHECK', up: false, lastResult: /^refused/ }] } },
  ]);
  t.equal(doc.services[0]!.quorumUp, true);
  t.match(doc.transitions, [{ kind: 'realserver', subject: /10\.0\.1\.1/, from: 'up', to: 'down', at: new Date(EPOCH + 1_000).toISOString() }]);
});

t.test('VRRP under keepalived-exporter names: a state series per VIP, "" without VIPs; rejections by reason', async (t) => {
  const src: VrrpStatusSource = {
    instances: (): VrrpInstanceStatus[] => [
      { name: 'VI_1', interface: 'eth0', vrid: 51, state: 'MASTER', priority: 150, vips: ['10.0.0.1', '10.0.0.2'], advertsReceived: 3, advertsSent: 40, becomeMaster: 1, releaseMaster: 0, rejections: { 'auth-mismatch': 2 } },
      { name: 'VI_2', interface: 'eth1', vrid: 52, state: 'FAULT', priority: 0, vips: [], advertsReceived: 0, advertsSent: 0, becomeMaster: 0, releaseMaster: 0, rejections: {} },
    ],
    transitions: () => [],
  };
  const w = new ExpositionWriter();
  writeVrrp(w, src);
  const text = w.text();
  t.match(text, '\nkeepalived_vrrp_state{iname="VI_1",intf="eth0",vrid="51",ip_address="10.0.0.1"} 2\n');
  t.match(text, '\nkeepalived_vrrp_state{iname="VI_1",intf="eth0",vrid="51",ip_address="10.0.0.2"} 2\n');
  t.match(text, '\nkeepalived_vrrp_state{iname="VI_2",intf="eth1",vrid="52",ip_address=""} 3\n');
  t.match(text, '\nkeepalived_advertisements_sent_total{iname="VI_1",intf="eth0",vrid="51"} 40\n');
  t.match(text, '\nkeepalived_become_master_total{iname="VI_1",intf="eth0",vrid="51"} 1\n');
  t.match(text, '\nlvsd_vrrp_rejected_adverts_total{iname="VI_1",intf="eth0",vrid="51",reason="auth-mismatch"} 2\n');
});
