/**
 * Every listing mode against golden files. The first six goldens are the reference's byte-exact examples
 * (keepalived-ipvsadm.md §3.3) copied verbatim; the rest were derived from ipvsadm.c's printf formats and
 * checked by hand (see the comments on each table in more-tables.ts).
 */
import t from 'tap';
import { BackendError } from '../../../src/cli/backend.js';
import type { ConnEntry, TableSnapshot } from '../../../src/model/table.js';
import { fixedBackend, golden, lvsadm, visible } from './fixtures/helpers.js';
import * as M from './fixtures/more-tables.js';
import { busyTable, referenceTable, saveTable } from './fixtures/tables.js';

const cases: [string, string[], () => TableSnapshot, ConnEntry[]?][] = [
  // from the reference, verbatim
  ['list-numeric', ['-Ln'], referenceTable],
  ['stats', ['-L', '-n', '--stats'], busyTable],
  ['service-rate', ['-Ln', '-t', '10.0.0.1:80', '--rate'], busyTable],
  ['service-thresholds', ['-Ln', '--thresholds', '-t', '10.0.0.1:80'], busyTable],
  ['service-persistent-conn', ['-Lnt', '10.0.0.1:80', '--persistent-conn'], () => busyTable({ persistence: 360 })],
  ['connections-numeric', ['-L', '-n', '-c'], referenceTable, M.CONNS],
  ['save-numeric', ['-Sn'], saveTable],
  // derived
  ['list-names', ['-L'], referenceTable],
  ['list-names', ['--list'], referenceTable],
  ['list-names', [], referenceTable],
  ['save-names', ['-S'], referenceTable],
  ['save-names', ['--save'], referenceTable],
  ['tun-info', ['-Ln', '--tun-info'], M.tunnelTable],
  ['save-tunnels', ['-Sn'], M.tunnelTable],
  ['stats-bands', ['-Ln', '--stats'], M.bigNumbers],
  ['stats-bands', ['-Ln', '--stats', '--rate'], M.bigNumbers],
  ['stats-exact', ['-Ln', '--stats', '--exact'], M.bigNumbers],
  ['rate-bands', ['-Ln', '--rate'], M.bigNumbers],
  ['rate-exact', ['-LnX', '--rate'], M.bigNumbers],
  ['v6-numeric', ['-Ln'], M.v6Table],
  ['v6-save', ['-Sn'], M.v6Table],
  ['v6-names', ['-L'], M.v6Table],
  ['sort-quirk', ['-Ln'], M.sortQuirkTable],
  ['sort-quirk', ['-Ln', '--sort'], M.sortQuirkTable],
  ['nosort', ['-Ln', '--nosort'], M.sortQuirkTable],
  ['truncation-names', ['-L'], M.longNames],
  ['truncation-numeric', ['-Ln'], M.longNames],
  ['truncation-save', ['-S'], M.longNames],
  ['timeout', ['-L', '--timeout'], M.withDaemons],
  ['daemon', ['-L', '--daemon'], M.withDaemons],
  ['connections-names', ['-Lc'], referenceTable, M.CONNS],
  ['connections-persistent', ['-Lnc', '--persistent-conn'], referenceTable, M.PE_CONNS],
];

for (const [name, argv, table, conns] of cases) {
  t.test(`${name}: lvsadm ${argv.join(' ')}`, async (t) => {
    const r = await lvsadm(argv, fixedBackend(table(), conns ?? []));
    t.equal(r.err, '');
    t.equal(r.code, 0);
    t.equal(visible(r.out), golden(name), 'byte-exact (each line ends at $)');
  });
}

t.test('a single service: no version line, found by fwmark and family too', async (t) => {
  const r = await lvsadm(['-L', '-n', '-f', '8', '-6'], fixedBackend(M.v6Table()));
  t.equal(r.out, [
    'Prot LocalAddress:Port Scheduler Flags',
    '  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn',
    'FWM  8 IPv6 rr persistent 300 mask 64',
    '  -> [2001:db8::20]:0             Masq    1      0          0         ',
    '',
  ].join('\n'));
  const v4 = await lvsadm(['-L', '-n', '-f', '8'], fixedBackend(M.v6Table()));
  t.same([v4.code, v4.out, v4.err], [1, '', 'No such service\n'], 'fwmark 8 exists for IPv6 only');
});

t.test('an empty table lists the version and titles only', async (t) => {
  const r = await lvsadm(['-Ln'], fixedBackend({ ...referenceTable(), services: [], version: '1.2.1', size: 1048576 }));
  t.equal(r.out, 'IP Virtual Server version 1.2.1 (size=1048576)\nProt LocalAddress:Port Scheduler Flags\n  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n');
});

t.test('a daemon error on a listing prints ipvsadm’s message and exits 1', async (t) => {
  const b = fixedBackend(referenceTable());
  b.snapshot = async () => { throw new BackendError({ errno: 'EPERM', message: 'denied' }); };
  const r = await lvsadm(['-Ln'], b);
  t.same([r.code, r.out, r.err], [1, '', 'Permission denied (you must be root)\n']);
});
