import t from 'tap';
import { listOverrides, overrideRule } from '../../../src/cli/overrides.js';
import { BackendUnavailable } from '../../../src/cli/backend.js';
import { destSpec, ip, serviceSpec, svcId } from '../../../src/testing/specs.js';
import type { TableOp } from '../../../src/model/ops.js';

const web = svcId('10.0.0.1:80');
const v6 = svcId('[2001:db8::1]:53', 'udp');
const fwm = { kind: 'fwmark' as const, fwmark: 7, af: 4 as const };

t.test('each override prints as the ipvsadm rule that makes it', async (t) => {
  const ops: TableOp[] = [
    { op: 'flush' },
    { op: 'add-service', spec: serviceSpec(web, { scheduler: 'rr', persistence: 300 }) },
    { op: 'edit-service', spec: serviceSpec(fwm, { scheduler: 'sh' }) },
    { op: 'del-service', id: v6 },
    { op: 'add-dest', service: web, dest: destSpec('192.168.1.10:80', { weight: 2 }) },
    { op: 'edit-dest', service: web, dest: destSpec('192.168.1.11:8080', { weight: 0, fwd: 'route' }) },
    { op: 'del-dest', service: v6, addr: ip('2001:db8::2'), port: 53 },
  ];
  t.equal(ops.map(overrideRule).join(''), [
    '-C',
    '-A -t 10.0.0.1:80 -s rr -p 300',
    '-E -f 7 -s sh',
    '-D -u [2001:db8::1]:53',
    '-a -t 10.0.0.1:80 -r 192.168.1.10:80 -m -w 2',
    '-e -t 10.0.0.1:80 -r 192.168.1.11:8080 -g -w 0',
    '-d -u [2001:db8::1]:53 -r [2001:db8::2]:53',
    '',
  ].join('\n'));
});

t.test('lvsadm --overrides: the list, or one clear line and a non-zero exit', async (t) => {
  const run = async (args: string[], source: Parameters<typeof listOverrides>[1]) => {
    let out = '';
    let err = '';
    const code = await listOverrides(args, source, (s) => { out += s; }, (s) => { err += s; });
    return { code, out, err };
  };
  const held: TableOp[] = [{ op: 'del-service', id: web }];
  t.same(await run([], { overrides: async () => held }), { code: 0, out: '-D -t 10.0.0.1:80\n', err: '' });
  t.match(await run(['-n'], { overrides: async () => held }), { code: 2, out: '', err: /--overrides takes no other options \(got -n\)/ });
  t.match(await run([], null), { code: 2, err: /cannot be used with --kernel/ });
  const down = { overrides: async (): Promise<TableOp[]> => { throw new BackendUnavailable('cannot reach lvsd at /x.sock: ENOENT'); } };
  t.match(await run([], down), { code: 2, out: '', err: 'lvsadm: cannot reach lvsd at /x.sock: ENOENT\n' });
});
