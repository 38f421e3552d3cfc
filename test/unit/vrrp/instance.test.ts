// The reducer alone: rules that the wire tests do not single out.
import t from 'tap';
import { parseIp, type IpAddr } from '../../../src/model/address.js';
import type { VrrpInstance } from '../../../src/model/config-vrrp.js';
import type { Advert } from '../../../src/vrrp/codec/advert.js';
import type { InstanceEvent, InstanceState, StepContext, TrackStatus } from '../../../src/vrrp/instance-types.js';
import { effectivePriority, initialState, nextDeadline, step } from '../../../src/vrrp/instance.js';
import { masterDownMs, minSkewMs, skewTimeMs } from '../../../src/vrrp/timing.js';
import { instanceConf, vrrpConf } from './fixtures/conf.js';

const ip = (s: string): IpAddr => parseIp(s)!;
const OK: TrackStatus = { weights: 0, fault: false, pending: false };
const ME = ip('10.213.0.1');

/** Runs events in order at the given times; returns the final state and each step's action types. */
function run(config: VrrpInstance, events: Array<[number, InstanceEvent]>, s0 = initialState(config)) {
  let s: InstanceState = s0;
  const log: string[][] = [];
  for (const [now, e] of events) {
    const ctx: StepContext = { now, config, primary: ME, group: null };
    const r = step(s, e, ctx);
    s = r.state;
    log.push(r.actions.map((a) => (a.type === 'send-advert' ? `advert ${a.priority}` : a.type === 'notify' ? `notify ${a.state}` : a.type === 'gratuitous' ? `garp ${a.repeat}` : a.type === 'notify-event' ? a.event : a.type)));
  }
  return { s, log };
}
const conf = (body: string) => vrrpConf(instanceConf('VI', 51, body)).instance('VI');
const adv = (priority: number, o: Partial<Advert> = {}): Advert => ({ version: 2, vrid: 51, priority, authType: 0, authData: new Uint8Array(8), advertIntSec: 1, addrs: [ip('10.213.0.100')], ...o } as Advert);
const from = (p: number, src = '10.213.0.2', o: Partial<Advert> = {}): InstanceEvent => ({ type: 'advert', advert: adv(p, o), src: ip(src) });
/** A master: started, its down timer fired. */
const master = (c: VrrpInstance) => run(c, [[0, { type: 'startup', track: OK }], [5000, { type: 'timer' }]]).s;

t.test('timers: keepalived’s numbers (reference §2.1)', async (t) => {
  t.equal(skewTimeMs(2, 100, 1000), 609.375);
  t.equal(masterDownMs(2, 100, 1000, 3), 3609.375);
  t.equal(masterDownMs(2, 254, 1000, 3), 3007.812, 'whole µs, truncated');
  t.equal(skewTimeMs(3, 100, 100), 60.937);
  t.equal(masterDownMs(3, 100, 100, 3), 360.937);
  t.equal(minSkewMs(2, 1000), 3.906);
  t.equal(masterDownMs(2, 100, 1000, 1), 1609.375, 'down_timer_adverts replaces the 3');
});

t.test('effective priority: base + weights within 1..254; the owner never floats', async (t) => {
  t.equal(effectivePriority(100, 200), 254);
  t.equal(effectivePriority(100, -200), 1);
  t.equal(effectivePriority(255, -100), 255);
  t.equal(effectivePriority(100, -30), 70);
});

t.test('taking over: advert first, then addresses, GARP burst, notify; second burst after garp_master_delay', async (t) => {
  const c = conf(' priority 150\n garp_master_delay 2\n garp_master_repeat 3\n garp_master_refresh 60');
  const { s, log } = run(c, [[0, { type: 'startup', track: OK }], [3414.062, { type: 'timer' }], [5414.062, { type: 'timer' }]]);
  t.same(log[0], ['notify BACKUP']);
  t.same(log[1], ['advert 150', 'add-vips', 'garp 3', 'notify MASTER']);
  t.same(log[2], ['advert 150', 'garp 3'], 'the 2nd advert and the delayed burst fall due together');
  t.equal(s.due.garp, null);
  t.equal(s.due.garpRefresh, 3414.062 + 60_000, 'refresh armed');
  t.equal(nextDeadline(s), 6414.062);
  const later = run(c, [[63414.062, { type: 'timer' }]], { ...s, due: { ...s.due, advert: 70_000 } });
  t.same(later.log[0], ['garp 1'], 'garp_master_refresh_repeat defaults to 1');
});

t.test('MASTER meets lower priority: answers at once (keepalived), GARPs, MASTER_RX_LOWER_PRI; lower_prio_no_advert stays quiet', async (t) => {
  t.same(run(conf(' priority 150'), [[6000, from(100)]], master(conf(' priority 150'))).log[0], ['advert 150', 'garp 5', 'MASTER_RX_LOWER_PRI']);
  const quiet = conf(' priority 150\n lower_prio_no_advert\n garp_lower_prio_repeat 0');
  const r = run(quiet, [[6000, from(100)]], master(quiet));
  t.same(r.log[0], ['MASTER_RX_LOWER_PRI']);
  t.equal(r.s.due.advert, 6000, 'the Adver_Timer is not restarted');
});

t.test('MASTER meets priority 0: sends an advert at once and stays MASTER (RFC 5798 §6.4.3)', async (t) => {
  const c = conf(' priority 150');
  const r = run(c, [[5500, from(0)]], master(c));
  t.same(r.log[0], ['advert 150']);
  t.equal(r.s.name, 'MASTER');
  t.equal(r.s.due.advert, 6500);
});

t.test('MASTER meets higher priority: BACKUP, addresses removed; higher_prio_send_advert answers first', async (t) => {
  const c = conf(' priority 150');
  const r = run(c, [[5500, from(200)]], master(c));
  t.same(r.log[0], ['remove-vips', 'notify BACKUP']);
  t.equal(r.s.due.masterDown, 5500 + masterDownMs(2, 150, 1000, 3));
  const h = conf(' priority 150\n higher_prio_send_advert');
  t.same(run(h, [[5500, from(200)]], master(h)).log[0], ['advert 150', 'remove-vips', 'notify BACKUP']);
  t.same(run(c, [[5500, from(150, '10.213.0.9')]], master(c)).log[0], ['remove-vips', 'notify BACKUP'], 'equal priority, higher address');
  t.same(run(c, [[5500, from(150, '10.213.0.0')]], master(c)).log[0], ['advert 150', 'garp 5', 'MASTER_RX_LOWER_PRI'], 'equal priority, lower address');
});

t.test('two address owners: keepalived drops this one to 254, which then yields', async (t) => {
  const c = conf(' priority 255');
  const start = run(c, [[0, { type: 'startup', track: OK }]]);
  t.same(start.log[0], ['advert 255', 'add-vips', 'garp 5', 'notify MASTER'], 'the owner is MASTER at startup');
  const r = run(c, [[100, from(255, '10.213.0.2')]], start.s);
  t.equal(r.s.basePriority, 254);
  t.equal(r.s.name, 'BACKUP');
});

t.test('BACKUP: priority 0 sets the timer to Skew_Time; v3 learns the interval; lower priority leaves the timer', async (t) => {
  const c = conf(' priority 100');
  const started = run(c, [[0, { type: 'startup', track: OK }]]).s;
  t.equal(run(c, [[1000, from(0)]], started).s.due.masterDown, 1000 + 609.375);
  t.equal(run(c, [[1000, from(50)]], started).s.due.masterDown, 3609.375, 'lower priority is discarded (preempt)');
  t.equal(run(c, [[1000, from(200)]], started).s.due.masterDown, 1000 + 3609.375);
  const v3 = conf(' version 3\n priority 100');
  const learned = run(v3, [[0, { type: 'startup', track: OK }], [1000, from(200, undefined, { version: 3, advertIntCs: 50 })]]).s;
  t.equal(learned.masterAdverIntMs, 500);
  t.equal(learned.due.masterDown, 1000 + 1500 + 304.687);
  const zero = run(v3, [[0, { type: 'startup', track: OK }], [1000, from(200, undefined, { version: 3, advertIntCs: 0 })]]).s;
  t.equal(zero.masterAdverIntMs, 1000, 'a hostile interval of 0 is not learned');
});

t.test('a priority change moves a running down timer by the change of Master_Down_Interval', async (t) => {
  const c = conf(' priority 100\n notify_priority_changes');
  const r = run(c, [[0, { type: 'startup', track: OK }], [1000, { type: 'track', track: { ...OK, weights: 50 } }]]);
  t.equal(r.s.effectivePriority, 150);
  t.equal(r.s.due.masterDown, masterDownMs(2, 150, 1000, 3));
  t.same(r.log[1], ['BACKUP_PRIORITY']);
});

t.test('shutdown: a master sends priority 0 and removes its addresses; every instance notifies STOP', async (t) => {
  const c = conf(' priority 150');
  const r = run(c, [[6000, { type: 'shutdown' }]], master(c));
  t.same(r.log[0], ['advert 0', 'remove-vips', 'notify STOP']);
  t.equal(r.s.name, 'INIT');
  t.equal(nextDeadline(r.s), null);
  t.same(run(c, [[0, { type: 'startup', track: OK }], [1, { type: 'shutdown' }]]).log[1], ['notify STOP']);
  t.same(run(c, [[0, { type: 'shutdown' }]]).log[0], [], 'an instance never started does nothing');
});

t.test('reload keeps MASTER and swaps only the addresses that changed', async (t) => {
  const before = conf(' priority 150');
  const after = vrrpConf(instanceConf('VI', 51, ' priority 150', '10.213.0.100 10.213.0.101')).instance('VI');
  const s = master(before);
  const r = step(s, { type: 'reload', previous: before }, { now: 6000, config: after, primary: ME, group: null });
  t.equal(r.state.name, 'MASTER');
  t.same(r.actions, [{ type: 'add-vips', vips: [after.virtualIpaddresses[1]] }]);
});

t.test('events that do not apply change nothing', async (t) => {
  const c = conf(' priority 150');
  const s = initialState(c);
  t.same(step(s, from(200), { now: 0, config: c, primary: ME, group: null }), { state: s, actions: [] }, 'INIT ignores adverts');
  t.same(step(s, { type: 'timer' }, { now: 0, config: c, primary: ME, group: null }), { state: s, actions: [] });
  const fault = run(c, [[0, { type: 'startup', track: { ...OK, fault: true } }]]);
  t.same(fault.log[0], ['notify FAULT']);
  t.same(run(c, [[1, from(200)]], fault.s).log[0], [], 'FAULT ignores adverts');
});
