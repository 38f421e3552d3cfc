import t from 'tap';
import { execFileSync } from 'node:child_process';
import { nativeUnavailable } from '../../src/native/addon.js';
import { LinkWatch } from '../../src/platform/link-watch.js';
import type { LinkStatus } from '../../src/ports/links.js';
import { Lab } from '../../src/testing/netns.js';

// What track_interface needs, against the real kernel in a namespace: an interface going down and up (by the
// administrator or by losing carrier), appearing and disappearing; nothing for changes that are not state;
// and after an event overrun, the state made good by listing the links again.

const noAddon = nativeUnavailable();
const skip = Lab.canRun() ?? (noAddon ? `native addon: ${noAddon}` : false);
if (skip) t.comment(`skipping: ${skip}`);

async function until(cond: () => boolean, ms = 2000): Promise<boolean> {
  for (const end = Date.now() + ms; !cond() && Date.now() < end;) await new Promise((r) => setTimeout(r, 5));
  return cond();
}

t.test('down, up, carrier, appear, disappear; quiet for an MTU change', { skip }, async (t) => {
  const lab = new Lab('lw');
  t.teardown(() => lab.teardown());
  const a = lab.host('a');
  const b = lab.host('b');
  lab.link(a, '10.68.0.1/24', b, '10.68.0.2/24');
  const changes: { now: LinkStatus; before: LinkStatus | null }[] = [];
  const w = await LinkWatch.open({ netns: `/run/netns/${a}`, onChange: (now, before) => changes.push({ now, before }) });
  t.teardown(() => w.close());
  t.match(w.status('v0x1'), { name: 'v0x1', up: true, exists: true });
  t.match(w.status('lo'), { up: true });
  t.equal(w.status('nosuch0'), null);
  const step = async (ns: string, args: string[], name: string, want: Partial<LinkStatus>, what: string): Promise<void> => {
    changes.length = 0;
    lab.exec(ns, 'ip', args);
    const ok = await until(() => changes.some((c) => c.now.name === name));
    t.ok(ok, `${what}: reported`);
    t.match(changes.find((c) => c.now.name === name)?.now, want, what);
  };
  await step(a, ['link', 'set', 'v0x1', 'down'], 'v0x1', { up: false, exists: true }, 'ip link set down');
  t.match(w.status('v0x1'), { up: false });
  await step(a, ['link', 'set', 'v0x1', 'up'], 'v0x1', { up: true }, 'and up');
  await step(b, ['link', 'set', 'v1x0', 'down'], 'v0x1', { up: false, exists: true }, 'the peer down: no carrier');
  await step(b, ['link', 'set', 'v1x0', 'up'], 'v0x1', { up: true }, 'the peer up again');
  changes.length = 0;
  lab.exec(a, 'ip', ['link', 'set', 'v0x1', 'mtu', '1400']);
  lab.exec(a, 'ip', ['addr', 'add', '10.68.1.1/24', 'dev', 'v0x1']);
  await new Promise((r) => setTimeout(r, 100));
  t.same(changes, [], 'an MTU change and a new address are not state changes');
  await step(a, ['link', 'add', 'extra0', 'type', 'veth', 'peer', 'name', 'extra1'], 'extra0', { up: false, exists: true }, 'a new interface appears (down)');
  await step(a, ['link', 'del', 'extra0'], 'extra0', { exists: false, up: false }, 'and disappears');
  t.equal(w.status('extra0'), null);
});

t.test('after an overrun the links are listed again and what changed is reported', { skip }, async (t) => {
  const lab = new Lab('lw');
  t.teardown(() => lab.teardown());
  const a = lab.host('flood');
  const changes: LinkStatus[] = [];
  const w = await LinkWatch.open({ netns: `/run/netns/${a}`, rcvbufBytes: 1, onChange: (now) => changes.push(now) });
  t.teardown(() => w.close());
  const pairs = 100;
  // Synchronous on purpose: the event loop cannot read while `ip` makes 200 links, so the tiny buffer overruns.
  execFileSync('ip', ['-n', a, '-batch', '-'], { input: `${Array.from({ length: pairs }, (_, i) => `link add f${i} type veth peer name g${i}`).join('\n')}\n` });
  const all = await until(() => Array.from({ length: pairs }, (_, i) => w.status(`f${i}`) && w.status(`g${i}`)).every(Boolean), 5000);
  t.ok(w.overruns > 0, `the events overran the buffer (${w.overruns} time(s))`);
  t.ok(all, 'every new link is known, though events were lost');
  t.ok(changes.length >= 2 * pairs, `each was reported as appearing (${changes.length} changes)`);
});
