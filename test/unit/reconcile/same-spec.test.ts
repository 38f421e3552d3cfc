/**
 * sameService / sameDest compare every setting of the spec (the compiler holds diff.ts to the spec's
 * fields; this holds each comparison to its field): changing any one setting is seen, identity is not a
 * setting, and tunnel settings count only for tunnel real servers, the only ones they are sent for.
 */
import t from 'tap';
import { sameDest, sameService } from '../../../src/reconcile/diff.js';
import { DEST_IDENTITY, SERVICE_IDENTITY, type DestSpec, type ServiceSpec } from '../../../src/model/service.js';
import { destSpec, serviceSpec, svcId } from '../../../src/testing/specs.js';

/** A different value of the same type. */
function other(v: unknown): unknown {
  if (typeof v === 'number') return v + 1;
  if (typeof v === 'boolean') return !v;
  if (typeof v === 'string') return `${v}x`;
  if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, typeof x === 'boolean' ? !x : x]));
  throw new Error(`no other value for ${String(v)}`);
}

const settingsOf = <T extends object>(spec: T, identity: readonly string[]): Array<keyof T & string> =>
  (Object.keys(spec) as Array<keyof T & string>).filter((k) => !identity.includes(k));

t.test('every service setting is compared', async (t) => {
  const a = serviceSpec(svcId('198.18.0.1:80'), { pe: 'sip' });
  const keys = settingsOf(a, SERVICE_IDENTITY);
  t.same(keys.sort(), ['flags', 'netmask', 'ops', 'pe', 'persistence', 'scheduler']);
  for (const k of keys) t.notOk(sameService(a, { ...a, [k]: other(a[k]) } as ServiceSpec), `a changed ${k} is seen`);
  t.ok(sameService(a, { ...a }), 'equal specs are the same');
});

t.test('every real-server setting is compared; tunnel settings only for tunnels', async (t) => {
  const tunnel = destSpec('198.18.1.1:80', { fwd: 'tunnel', tunType: 'gue', tunPort: 6080 });
  const keys = settingsOf(tunnel, DEST_IDENTITY);
  t.same(keys.sort(), ['fwd', 'lThreshold', 'tunFlags', 'tunPort', 'tunType', 'uThreshold', 'weight']);
  for (const k of keys) {
    const changed = { ...tunnel, [k]: k === 'tunType' ? 'gre' : k === 'fwd' ? 'masq' : other(tunnel[k]) } as DestSpec;
    t.notOk(sameDest(tunnel, changed), `a changed ${k} is seen`);
  }
  const nat = destSpec('198.18.1.1:80');
  t.ok(sameDest(nat, { ...nat, tunType: 'gue', tunPort: 1, tunFlags: 1 }), 'tunnel settings of a NAT real server are not sent, so not compared');
});
