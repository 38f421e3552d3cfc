import t from 'tap';
import { VrrpCounters } from '../../../src/daemon/vrrp-status.js';
import { initialState } from '../../../src/vrrp/instance.js';
import { tempDir } from '../../../src/testing/peers.js';
import { alertConfig } from '../platform/alerts/fixtures/config.js';

const tmp = tempDir('vrrp-status');
t.teardown(tmp.remove);
const inst = alertConfig(tmp.dir, '').vrrpInstances[0]!;

// keepalived counts become_master on entering MASTER and release_master on leaving it (vrrp.c
// vrrp_state_become_master / vrrp_state_leave_master); a repeated state is no transition.

t.test('become and release master as keepalived counts them; recent transitions bounded', async (t) => {
  const c = new VrrpCounters();
  c.entered('VI_1', 'BACKUP', 1);
  c.entered('VI_1', 'MASTER', 2);
  c.entered('VI_1', 'MASTER', 3);
  c.entered('VI_1', 'FAULT', 4);
  c.entered('VI_1', 'BACKUP', 5);
  c.entered('VI_2', 'MASTER', 6);
  c.sent('VI_1');
  c.sent('VI_1');
  t.same(c.transitions().map((x) => `${x.at} ${x.subject} ${x.from}>${x.to}`), [
    '1 VRRP instance VI_1 INIT>BACKUP', '2 VRRP instance VI_1 BACKUP>MASTER', '4 VRRP instance VI_1 MASTER>FAULT',
    '5 VRRP instance VI_1 FAULT>BACKUP', '6 VRRP instance VI_2 INIT>MASTER',
  ]);
  for (let i = 0; i < 60; i++) c.entered('VI_3', i % 2 === 0 ? 'MASTER' : 'BACKUP', 10 + i);
  t.equal(c.transitions().length, 50, 'the newest 50 are kept');
  t.equal(c.transitions().at(-1)?.at, 69);
  const counts = (name: string) => {
    const s = c.status({ ...inst, name }, { ...initialState(inst), name: 'BACKUP', effectivePriority: 90 }, 4, new Map([['checksum', 2]]));
    return [s.name, s.interface, s.vrid, s.state, s.vips, s.becomeMaster, s.releaseMaster, s.advertsSent, s.advertsReceived, s.priority, s.rejections];
  };
  t.same(counts('VI_1'), ['VI_1', 'lo', 51, 'BACKUP', ['192.0.2.10'], 1, 1, 2, 4, 90, { checksum: 2 }]);
  t.same(counts('VI_3'), ['VI_3', 'lo', 51, 'BACKUP', ['192.0.2.10'], 30, 30, 0, 4, 90, { checksum: 2 }]);
});
