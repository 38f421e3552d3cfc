import t from 'tap';
import { SerialWork } from '../../../src/reconcile/serial-work.js';

t.test('one pass runs and one waits; requests while it waits join it with their needs merged', async (t) => {
  const runs: string[][] = [];
  const gates: Array<() => void> = [];
  const work = new SerialWork<string[]>(async (need) => {
    runs.push(need);
    await new Promise<void>((resolve) => gates.push(resolve));
  }, (a, b) => [...a, ...b]);
  const first = work.requestPass(['tick']);
  await new Promise((r) => setImmediate(r));
  const joined = [work.requestPass(['reload']), work.requestPass(['tick']), work.requestPass(['health'])];
  t.equal(joined[0], joined[2], 'the waiting requests share one answer');
  t.same(runs, [['tick']], 'only the first runs');
  gates.shift()!();
  await first;
  await new Promise((r) => setImmediate(r));
  t.same(runs, [['tick'], ['reload', 'tick', 'health']], 'the rest ran as one pass');
  const late = work.requestPass(['late']);
  t.not(late, joined[0], 'a request after that pass started waits for the next one');
  gates.shift()!();
  await Promise.all(joined);
  await new Promise((r) => setImmediate(r));
  gates.shift()!();
  await late;
  t.same(work.counts, { requested: 5, run: 3 });
});

t.test('exclusive work queues between passes and never overlaps them', async (t) => {
  const order: string[] = [];
  let busy = false;
  const step = async (name: string): Promise<void> => {
    t.notOk(busy, `${name} runs alone`);
    busy = true;
    order.push(name);
    await new Promise((r) => setImmediate(r));
    busy = false;
  };
  const work = new SerialWork<null>(() => step('pass'), () => null);
  const a = work.exclusive(() => step('op1'));
  const p = work.requestPass(null);
  const b = work.exclusive(async () => { await step('op2'); return 42; });
  t.equal(await b, 42);
  await Promise.all([a, p, work.idle()]);
  t.same(order, ['op1', 'pass', 'op2']);
});
