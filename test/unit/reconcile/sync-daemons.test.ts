import t from 'tap';
import { planSyncDaemons, syncDaemonSwitch } from '../../../src/reconcile/sync-daemons.js';
import type { LvsSyncDaemon } from '../../../src/model/config.js';
import type { TableOp } from '../../../src/model/ops.js';

const want: LvsSyncDaemon = { interface: 'eth1', instance: null, syncId: 7, maxLen: null, port: null, ttl: null, group: null };

t.test('starts master and backup daemons without an instance, backup only with one', async (t) => {
  t.same(planSyncDaemons(want, []).map((o) => (o.op === 'start-daemon' ? o.daemon.state : o.op)), ['master', 'backup']);
  t.same(planSyncDaemons({ ...want, instance: 'VI_1' }, []).map((o) => (o.op === 'start-daemon' ? o.daemon.state : o.op)), ['backup']);
});

t.test('leaves running daemons alone, whatever defaults the kernel filled in', async (t) => {
  const have = [
    { state: 'master' as const, mcastIfn: 'eth1', syncId: 7, maxLen: 1472, group: '224.0.0.81', port: 8848, ttl: 1 },
    { state: 'backup' as const, mcastIfn: 'eth1', syncId: 7, maxLen: 1472, group: '224.0.0.81', port: 8848, ttl: 1 },
  ];
  t.same(planSyncDaemons(want, have), []);
});

t.test('restarts a daemon on another interface; stops daemons nobody wants', async (t) => {
  const have = [{ state: 'backup' as const, mcastIfn: 'eth0', syncId: 7 }];
  t.same(planSyncDaemons({ ...want, instance: 'VI_1' }, have).map((o) => o.op), ['stop-daemon', 'start-daemon']);
  t.same(planSyncDaemons(null, have), [{ op: 'stop-daemon', state: 'backup' }]);
});

const show = (ops: readonly TableOp[]): string[] =>
  ops.map((o) => (o.op === 'start-daemon' ? `start ${o.daemon.state} ${o.daemon.mcastIfn} ${o.daemon.syncId}` : o.op === 'stop-daemon' ? `stop ${o.state}` : o.op));

t.test('tied to an instance: a master daemon VRRP started survives a reload; VRRP swaps the daemons', async (t) => {
  const tied = { ...want, instance: 'VI_1' };
  t.same(planSyncDaemons(tied, [{ state: 'master', mcastIfn: 'eth1', syncId: 7 }]), [], 'the master daemon is kept, no backup started');
  t.same(show(planSyncDaemons(tied, [{ state: 'master', mcastIfn: 'eth0', syncId: 7 }])), ['stop master', 'start backup eth1 7']);
  t.same(show(syncDaemonSwitch(tied, true)), ['stop backup', 'start master eth1 7']);
  t.same(show(syncDaemonSwitch(tied, false)), ['stop master', 'start backup eth1 7']);
});
