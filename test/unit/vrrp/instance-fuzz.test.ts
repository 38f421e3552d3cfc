// Random event sequences, including adverts from a hostile peer: the reducer never throws and its state
// stays consistent; a VrrpNode fed random bytes never throws and keeps counting.
import fc from 'fast-check';
import t from 'tap';
import { parseIp } from '../../../src/model/address.js';
import type { Advert } from '../../../src/vrrp/codec/advert.js';
import type { InstanceEvent, InstanceState } from '../../../src/vrrp/instance-types.js';
import { initialState, nextDeadline, step } from '../../../src/vrrp/instance.js';
import { FakeClock } from '../../../src/testing/fake-clock.js';
import { VrrpNode } from '../../../src/vrrp/node.js';
import { instanceConf, vrrpConf } from './fixtures/conf.js';
import { inputs } from './fixtures/wire.js';

const configs = [
  vrrpConf(instanceConf('VI', 51, ' priority 100')).instance('VI'),
  vrrpConf(instanceConf('VI', 51, ' priority 255')).instance('VI'),
  vrrpConf(instanceConf('VI', 51, ' version 3\n priority 150\n preempt_delay 2\n higher_prio_send_advert')).instance('VI'),
  vrrpConf(instanceConf('VI', 51, ' priority 150\n nopreempt\n lower_prio_no_advert')).instance('VI'),
];

const advert: fc.Arbitrary<Advert> = fc.oneof(
  fc.record({ version: fc.constant(2 as const), vrid: fc.constant(51), priority: fc.integer({ min: 0, max: 255 }), authType: fc.constant(0), authData: fc.constant(new Uint8Array(8)), advertIntSec: fc.integer({ min: 1, max: 255 }), addrs: fc.constant([]) }),
  fc.record({ version: fc.constant(3 as const), vrid: fc.constant(51), priority: fc.integer({ min: 0, max: 255 }), advertIntCs: fc.integer({ min: 0, max: 4095 }), addrs: fc.constant([]) }),
);
const event: fc.Arbitrary<InstanceEvent> = fc.oneof(
  fc.record({ type: fc.constant('startup' as const), track: fc.record({ weights: fc.integer({ min: -300, max: 300 }), fault: fc.boolean(), pending: fc.boolean() }) }),
  fc.record({ type: fc.constant('advert' as const), advert, src: fc.ipV4().map((s) => parseIp(s)!) }),
  fc.constant({ type: 'timer' as const }),
  fc.constant({ type: 'shutdown' as const }),
  fc.record({ type: fc.constant('track' as const), track: fc.record({ weights: fc.integer({ min: -300, max: 300 }), fault: fc.boolean(), pending: fc.boolean() }) }),
  fc.record({ type: fc.constant('sync' as const), to: fc.constantFrom('MASTER' as const, 'BACKUP' as const, 'FAULT' as const) }),
);

function consistent(s: InstanceState): string | null {
  if (s.effectivePriority < 1 || s.effectivePriority > 255) return `priority ${s.effectivePriority}`;
  if (s.name === 'MASTER' && (!s.vipsSet || s.due.advert === null)) return 'MASTER without addresses or advert timer';
  if (s.name !== 'MASTER' && s.vipsSet) return `${s.name} holding addresses`;
  if (s.name === 'BACKUP' && s.due.masterDown === null) return 'BACKUP without a down timer';
  if ((s.name === 'FAULT' || s.name === 'INIT') && nextDeadline(s) !== null) return `${s.name} with a deadline`;
  if (s.masterAdverIntMs <= 0) return 'no interval';
  return null;
}

t.test('random event sequences keep the state consistent', async (t) => {
  fc.assert(fc.property(fc.constantFrom(...configs), fc.array(fc.tuple(event, fc.integer({ min: 0, max: 5000 })), { maxLength: 40 }), (config, events) => {
    let s = initialState(config);
    let now = 0;
    for (const [e, dt] of events) {
      now += dt;
      // a timer event comes when the Clock reaches the earliest deadline
      const at = e.type === 'timer' ? Math.max(now, nextDeadline(s) ?? now) : now;
      s = step(s, e, { now: at, config, primary: parseIp('10.0.0.5')!, group: null }).state;
      now = at;
      const bad = consistent(s);
      if (bad) throw new Error(`${bad} after ${e.type}`);
    }
    return true;
  }), { numRuns: 500, seed: 5 });
  t.pass('held');
});

t.test('a node fed random bytes never throws and counts what it drops', async (t) => {
  const clock = new FakeClock();
  const node = new VrrpNode({ clock, instances: [configs[0]!], groups: [], primary: () => parseIp('10.0.0.5')!, effects: () => undefined });
  node.start(inputs());
  fc.assert(fc.property(fc.uint8Array({ maxLength: 80 }), fc.integer({ min: 0, max: 255 }), (bytes, ttl) => {
    node.receive({ src: parseIp('10.0.0.9')!, dst: parseIp('224.0.0.18')!, ttl, payload: bytes }, 4, 'eth0');
    clock.advance(100);
    return true;
  }), { numRuns: 1000, seed: 3 });
  const counted = [...node.rejections('VI').values()].reduce((a, b) => a + b, 0) + node.unknownVrid;
  t.ok(counted > 900, `${counted} of 1000 dropped and counted`);
});
