import t from 'tap';
import { FdBudget, reserveFor, REFUSAL_LOG_INTERVAL_MS } from '../../../../src/planes/proxy/fd-budget.js';
import { FakeClock } from '../../../../src/testing/fake-clock.js';
import { MemoryLogger } from '../../../../src/testing/logger.js';

// The descriptor budget's arithmetic and its logging: the first refusal at once, then one summary per
// interval however many refusals come, none when refusals stop.

t.test('cap, reserve and per-protocol share follow the open-file limit', async (t) => {
  const b = new FdBudget(20_000, new FakeClock(), new MemoryLogger());
  t.same([b.reserve, b.cap, b.share], [2064, 17_936, 13_452]);
  t.equal(reserveFor(1024), 167, 'a default 1024 limit keeps 167 back');
  t.throws(() => new FdBudget(80, new FakeClock(), new MemoryLogger()), /RLIMIT_NOFILE 80\) leaves 8 descriptors .* at least 16/, 'too low a limit is refused with the numbers');
  const none = new FdBudget(undefined, new FakeClock(), new MemoryLogger());
  t.ok(none.take('tcp', 1_000_000), 'no known limit, no budget');
});

t.test('refusals at the share and at the cap; giving back makes room', async (t) => {
  const b = new FdBudget(400, new FakeClock(), new MemoryLogger());
  b.holdListener();
  let relays = 0;
  while (b.take('tcp', 2)) relays++;
  t.equal(relays, 111, 'TCP stops at its share (222 descriptors)');
  let sessions = 0;
  while (b.take('udp', 1)) sessions++;
  t.equal(sessions, 296 - 1 - 222, 'UDP gets what is left of the cap after the listener and TCP');
  b.give('tcp', 2);
  t.notOk(b.take('tcp', 4), 'two descriptors free do not make a relay of four');
  t.ok(b.take('tcp', 2), 'two do make one');
  t.match(b.snapshot(), { limit: 400, listeners: 1, tcp: 222, udp: 73, tcpRefused: 2, udpDropped: 1 });
});

t.test('logged once per interval with the reason, then a summary, then silence', async (t) => {
  const clock = new FakeClock();
  const log = new MemoryLogger();
  const b = new FdBudget(400, clock, log);
  while (b.take('udp', 1));
  for (let i = 0; i < 999; i++) b.take('udp', 1);
  t.equal(log.lines.length, 1, '1000 refusals, one line');
  t.match(log.lines[0], { level: 'warn', msg: /new flows refused/, obj: { udpDropped: 1, tcpRefused: 0, reason: /222 of 296 in use \(TCP 0, UDP 222/ } });
  b.take('tcp', 300);
  clock.advance(REFUSAL_LOG_INTERVAL_MS);
  t.equal(log.lines.length, 2, 'the interval ends with one summary');
  t.match(log.lines[1]!.obj, { udpDropped: 999, tcpRefused: 1, udpDroppedTotal: 1000, tcpRefusedTotal: 1 });
  clock.advance(REFUSAL_LOG_INTERVAL_MS * 3);
  t.equal(log.lines.length, 2, 'no refusals, no lines');
  b.take('udp', 1);
  t.equal(log.lines.length, 3, 'the next refusal after a quiet interval is logged at once');
  b.close();
  t.equal(clock.pending, 0, 'close clears the timer');
});
