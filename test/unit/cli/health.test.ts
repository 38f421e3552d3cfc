import t from 'tap';
import { formatHealth, listHealth } from '../../../src/cli/health.js';
import { BackendUnavailable } from '../../../src/cli/backend.js';
import { REPORT } from '../control/fixtures/health-report.js';

// lvsadm --health: the daemon's answer for people, and one clear line and a non-zero exit otherwise.

t.test('one line per service, real server and checker', async (t) => {
  const at = new Date(1796305799927).toISOString();
  t.equal(formatHealth(REPORT), [
    'VS [10.0.0.1]:tcp:80  quorum up (live weight 3, quorum 1, hysteresis 0)',
    `  -> [192.168.1.10]:tcp:80  DOWN  weight 3/3  changed: ${at}`,
    `      HTTP_GET /etc/keepalived/keepalived.conf:12  down retry 2  last: status (status 503)  changed: ${at}`,
    '  -> [192.168.1.11]:tcp:80  UP  weight 5/1  changed: not since start',
    '      MISC_CHECK k.conf:20  up weight 5  last: ok (exit 7)  changed: not since start',
    '',
  ].join('\n'));
  t.equal(formatHealth([]), 'No health checkers are running.\n');
});

t.test('options, --kernel and an unreachable daemon', async (t) => {
  const run = async (args: string[], source: Parameters<typeof listHealth>[1]) => {
    let out = '';
    let err = '';
    const code = await listHealth(args, source, (s) => { out += s; }, (s) => { err += s; });
    return { code, out, err };
  };
  t.match(await run([], { health: async () => REPORT }), { code: 0, out: /^VS \[10\.0\.0\.1\]:tcp:80/, err: '' });
  t.match(await run(['-n'], { health: async () => REPORT }), { code: 2, out: '', err: /--health takes no other options \(got -n\)/ });
  t.match(await run([], null), { code: 2, err: /cannot be used with --kernel/ });
  t.match(await run([], { health: async () => { throw new BackendUnavailable('cannot reach lvsd at /x.sock: ENOENT'); } }), { code: 2, err: /cannot reach lvsd/ });
});
