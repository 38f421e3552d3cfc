import t from 'tap';
import { LvsdError } from '../../../../src/model/errors.js';
import { createScheduler, SCHEDULERS, schedulerFactory } from '../../../../src/dataplane/sched/index.js';
import { isSchedulerName, SCHEDULER_NAMES } from '../../../../src/model/scheduler.js';
import { ctx } from './fixtures/sched.js';

t.test('all fourteen kernel schedulers by name', async (t) => {
  t.same([...SCHEDULER_NAMES].sort(), ['dh', 'fo', 'lblc', 'lblcr', 'lc', 'mh', 'nq', 'ovf', 'rr', 'sed', 'sh', 'twos', 'wlc', 'wrr']);
  for (const name of SCHEDULER_NAMES) t.equal(createScheduler(name, ctx()).name, name);
  t.same(Object.keys(SCHEDULERS).sort(), [...SCHEDULER_NAMES].sort(), 'no implementation without a name');
});

t.test('an unknown name is a clear error', async (t) => {
  t.notOk(isSchedulerName('toString'));
  t.throws(() => schedulerFactory('wlcx'), { code: 'LVSD_E_SCHED_UNKNOWN', message: /unknown scheduler "wlcx": expected one of rr, wrr/ });
  t.throws(() => createScheduler('', ctx()), LvsdError);
});
