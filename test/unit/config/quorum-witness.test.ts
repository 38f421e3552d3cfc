// lvsd_quorum_witness inside a vrrp_instance: lvsd's split-brain defence block, its defaults and diagnostics.
import t from 'tap';
import { build, vi } from './fixtures/build.js';

const witness = (body: string, extra = '') => vi(`${extra}\n lvsd_quorum_witness {\n${body}\n }`);
const one = (text: string) => {
  const r = build(text);
  return { ...r, w: r.config.vrrpInstances[0]?.quorumWitness ?? null };
};

t.test('no block: no witness', async (t) => {
  t.equal(one(vi('')).w, null);
});

t.test('a full block, and the defaults: interval = advert_int, timeout = 3 × interval, fence_timeout 5 s', async (t) => {
  const full = one(witness('  path /dev/disk/by-id/qdisk\n  slot 1\n  peer_slot 0 2 0\n  interval 0.5\n  timeout 2\n  fence "/usr/local/sbin/fence-peer --node b" root\n  fence_timeout 3', ' advert_int 1'));
  t.same(full.diagnostics, []);
  t.match(full.w, {
    path: '/dev/disk/by-id/qdisk', slot: 1, peerSlots: [0, 2], interval: 0.5, timeout: 2, fenceTimeout: 3,
    fence: { argv: ['/usr/local/sbin/fence-peer', '--node', 'b'], user: 'root', group: null },
  });
  const dflt = one(witness('  path /var/lib/lvsd/witness\n  slot 0\n  peer_slot 1', ' version 3\n advert_int 0.05'));
  t.same(dflt.diagnostics, []);
  t.match(dflt.w, { interval: 0.05, timeout: 0.15, fence: null, fenceTimeout: 5 });
});

t.test('diagnostics name the line and what is wrong; a bad block leaves no witness', async (t) => {
  const cases: Array<[string, RegExp]> = [
    ['  slot 0\n  peer_slot 1', /LVSD_E_CONFIG_MISSING .*lvsd_quorum_witness needs path/],
    ['  path /w\n  peer_slot 1', /lvsd_quorum_witness needs slot/],
    ['  path /w\n  slot 0', /lvsd_quorum_witness needs peer_slot/],
    ['  path /w\n  slot 64\n  peer_slot 1', /slot must be .*0.*63|slot .*64/],
    ['  path /w\n  slot 0\n  peer_slot 1 x', /peer_slot slots are numbers from 0 to 63, not "x"/],
    ['  path /w\n  slot 1\n  peer_slot 1', /peer_slot 1 is this director's own slot/],
    ['  path /w\n  slot 0\n  peer_slot 1\n  interval 1\n  timeout 1.5', /timeout 1.5 s must be at least 2 × interval \(1 s\)/],
    ['  path /w\n  slot 0\n  peer_slot 1\n  fence_timeout 0', /fence_timeout must be a number of seconds from 0.01/],
  ];
  for (const [body, want] of cases) {
    const r = one(witness(body));
    t.match(r.text('error').join('\n'), want, body.replace(/\n\s*/g, '; '));
    t.match(r.text('error')[0], /^\d+ /, 'with a line number');
    if (!/fence_timeout/.test(body)) t.equal(r.w, null, 'no witness');
  }
  const twice = one(vi(' lvsd_quorum_witness {\n  path /w\n  slot 0\n  peer_slot 1\n }\n lvsd_quorum_witness {\n  path /x\n  slot 0\n  peer_slot 1\n }'));
  t.match(twice.text('error').join('\n'), /lvsd_quorum_witness is given twice/);
  t.match(twice.w, { path: '/w' }, 'the first stays');
  const unknown = one(witness('  path /w\n  slot 0\n  peer_slot 1\n  quorum 2'));
  t.match(unknown.text('warning').join('\n'), /unknown keyword quorum/);
});
