import t from 'tap';
import type { VrrpScript } from '../../../src/model/config-vrrp.js';
import { initialScript, scriptResult, scriptTimeoutMs, succeeded, type ScriptState } from '../../../src/vrrp/track-script.js';
import { trackStatus } from '../../../src/vrrp/tracking.js';
import { instanceConf, vrrpConf } from './fixtures/conf.js';
import { inputs } from './fixtures/wire.js';

const objects = [
  'vrrp_script up {\n script "/bin/true"\n weight 20\n}',
  'vrrp_script down {\n script "/bin/true"\n weight -30\n}',
  'vrrp_script must {\n script "/bin/true"\n}',
  'track_file f {\n file "/run/f"\n weight 2\n}',
  'track_file g {\n file "/run/g"\n weight 0\n}',
].join('\n') + '\n';
const inst = (track: string) => vrrpConf(objects + instanceConf('VI', 51, ` priority 100\n${track}`)).instance('VI');

t.test('interfaces: weight 0 faults while down; +w counts while up, −w while down; reverse flips', async (t) => {
  const i = inst(' track_interface {\n  eth1 weight 10\n  eth2 weight -5 reverse\n }');
  t.same(trackStatus(i, null, inputs()), { weights: 10, fault: false, pending: false });
  t.same(trackStatus(i, null, inputs({ down: ['eth1', 'eth2'] })), { weights: 5, fault: false, pending: false }, '−5 × −1 while down');
  t.same(trackStatus(inst(' track_interface {\n  eth1\n }'), null, inputs({ down: ['eth1'] })).fault, true);
  t.same(trackStatus(inst(' track_interface {\n  eth1 weight 0 reverse\n }'), null, inputs()).fault, true, 'reverse: up is the fault');
  t.same(trackStatus(inst(''), null, inputs({ down: ['eth0'] })).fault, true, 'the own interface');
});

t.test('scripts: weighted ones add once known; an unweighted one unknown is pending, failing is FAULT', async (t) => {
  const i = inst(' track_script {\n  up\n  down\n  must\n }');
  t.same(trackStatus(i, null, inputs()), { weights: 0, fault: false, pending: true });
  t.same(trackStatus(i, null, inputs({ scripts: { up: true, down: true, must: true } })), { weights: 20, fault: false, pending: false });
  t.same(trackStatus(i, null, inputs({ scripts: { up: false, down: false, must: false } })), { weights: -30, fault: true, pending: false });
  t.same(trackStatus(inst(' track_script {\n  down weight 30 reverse\n }'), null, inputs({ scripts: { down: true } })).weights, -30, 'the line’s own weight and reverse');
});

t.test('files: value × weight, capped at 253, −254 and below is FAULT; weight 0 faults on any non-zero value', async (t) => {
  const f = inst(' track_file {\n  f\n }');
  t.equal(trackStatus(f, null, inputs({ files: { f: 7 } })).weights, 14);
  t.equal(trackStatus(f, null, inputs({ files: { f: 500 } })).weights, 253);
  t.same(trackStatus(f, null, inputs({ files: { f: -127 } })), { weights: 0, fault: true, pending: false });
  t.equal(trackStatus(f, null, inputs({ files: { f: -126 } })).weights, -252);
  const g = inst(' track_file {\n  g\n }');
  t.equal(trackStatus(g, null, inputs()).fault, false, 'a missing file reads 0');
  t.equal(trackStatus(g, null, inputs({ files: { g: 1 } })).fault, true);
});

t.test('a sync group’s tracking applies to its members', async (t) => {
  const c = vrrpConf(instanceConf('A', 51, '') + instanceConf('B', 52, '') + 'vrrp_sync_group G {\n group {\n  A\n  B\n }\n track_interface {\n  eth2\n }\n}\n');
  t.equal(trackStatus(c.instance('B'), c.groups[0]!, inputs({ down: ['eth2'] })).fault, true);
  t.equal(trackStatus(c.instance('B'), null, inputs({ down: ['eth2'] })).fault, false);
});

const script = (rise: number, fall: number, initFail = false): VrrpScript =>
  ({ ...vrrpConf('vrrp_script s {\n script "/bin/true"\n}\n').config.vrrpScripts[0]!, rise, fall, initFail });

/** Feeds results; returns the verdict after each one and whether it flipped. */
function feed(s: VrrpScript, results: boolean[], st: ScriptState = initialScript(s)): string {
  return results.map((ok) => {
    const r = scriptResult(s, st, ok);
    st = r.state;
    return `${st.up === null ? '?' : st.up ? 'U' : 'D'}${r.changed ? '!' : ''}`;
  }).join(' ');
}

t.test('vrrp_script rise/fall (keepalived vrrp_script_child_thread)', async (t) => {
  t.equal(feed(script(2, 3), [true]), 'U!', 'in INIT the first success decides');
  t.equal(feed(script(2, 3), [false]), 'D!', 'so does the first failure');
  t.equal(feed(script(2, 3), [true, false, false, false]), 'U! U U D!', 'fall 3 failures in a row');
  t.equal(feed(script(2, 3), [true, false, false, true, false, false, false]), 'U! U U U U U D!', 'a success resets the fall count');
  t.equal(feed(script(2, 3), [false, true, true]), 'D! D U!', 'rise 2 successes');
  t.equal(feed(script(2, 3, true), [true, true]), 'D U!', 'init_fail starts down and needs the rise');
  t.equal(initialScript(script(1, 1, true)).up, false);
  t.equal(scriptTimeoutMs({ ...script(1, 1), interval: 2, timeout: 0 }), 2000, 'no timeout: the interval');
  t.ok(succeeded({ exitCode: 0, signal: null, timedOut: false, output: '', error: null }));
  t.notOk(succeeded({ exitCode: 0, signal: null, timedOut: true, output: '', error: null }), 'a timed-out run fails');
  t.notOk(succeeded({ exitCode: 1, signal: null, timedOut: false, output: '', error: null }));
});
