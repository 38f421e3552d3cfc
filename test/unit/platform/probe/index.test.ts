import t from 'tap';
import { createProber } from '../../../../src/platform/probe/index.js';
import { conn, pingCheck, tcpCheck } from '../../../../src/testing/checkers.js';
import type { MiscCheck } from '../../../../src/model/config-checkers.js';
import type { Prober } from '../../../../src/ports/prober.js';

const misc: MiscCheck = {
  type: 'MISC_CHECK', loc: { file: 't.conf', line: 3 }, alpha: false, retry: 0, delayBeforeRetry: 1, warmup: 0, delayLoop: 5, logAllFailures: false,
  script: { argv: ['/bin/true'], user: null, group: null }, timeout: 5, dynamic: true,
};

t.test('MISC_CHECK goes to the health engine\'s prober', async (t) => {
  const seen: string[] = [];
  const scripts: Prober = { probe: async (c) => { seen.push(c.type); return { up: true, detail: 'exit 4', weight: 2 }; } };
  t.same(await createProber({ misc: scripts }).probe(misc, new AbortController().signal), { up: true, detail: 'exit 4', weight: 2 });
  t.same(seen, ['MISC_CHECK']);
  t.match(await createProber().probe(misc, new AbortController().signal), { up: false, reason: 'error', detail: /no script prober/ });
});

t.test('the port never rejects', async (t) => {
  const broken: Prober = { probe: () => Promise.reject(new Error('boom')) };
  t.match(await createProber({ misc: broken }).probe(misc, new AbortController().signal), { up: false, reason: 'error', detail: 'MISC_CHECK: boom' });
  const ac = new AbortController();
  ac.abort();
  t.match(await createProber().probe(tcpCheck(conn('127.0.0.1', 9)), ac.signal), { up: false, detail: /cancelled/ }, 'an aborted signal ends the attempt at once');
  t.match(await createProber().probe(pingCheck(conn('127.0.0.1', 0, { bindto: { af: 4, text: '127.0.0.1' } })), new AbortController().signal), { up: false, reason: 'error', detail: /bindto/ });
});
