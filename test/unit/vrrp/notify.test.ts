import t from 'tap';
import { fifoLine, notifyScripts } from '../../../src/vrrp/notify.js';
import { instanceConf, vrrpConf } from './fixtures/conf.js';

t.test('FIFO lines as keepalived writes them (keepalived.conf(5) notify_fifo)', async (t) => {
  t.equal(fifoLine('INSTANCE', 'VI_1', 'MASTER', 100), 'INSTANCE "VI_1" MASTER 100\n');
  t.equal(fifoLine('GROUP', 'G', 'FAULT', 100), 'GROUP "G" FAULT 0\n', 'groups report priority 0');
  t.equal(fifoLine('INSTANCE', 'VI_1', 'MASTER_RX_LOWER_PRI', 150), 'INSTANCE "VI_1" MASTER_RX_LOWER_PRI 150\n');
});

t.test('the state’s own script, then the generic one with TYPE NAME STATE PRIORITY', async (t) => {
  const i = vrrpConf(instanceConf('VI_1', 51, ' notify_master "/bin/m up"\n notify "/bin/any"')).instance('VI_1');
  const calls = notifyScripts(i.notify, 'INSTANCE', 'VI_1', 'MASTER', 150);
  t.same(calls.map((c) => [c.script.argv, c.args]), [[['/bin/m', 'up'], []], [['/bin/any'], ['INSTANCE', 'VI_1', 'MASTER', '150']]]);
  t.same(notifyScripts(i.notify, 'INSTANCE', 'VI_1', 'BACKUP', 150).map((c) => c.args), [['INSTANCE', 'VI_1', 'BACKUP', '150']], 'no notify_backup');
  t.same(notifyScripts(i.notify, 'GROUP', 'G', 'FAULT', 150).map((c) => c.args), [['GROUP', 'G', 'FAULT', '0']]);
});
