// lvsd's VRRP engine (VrrpNode on the native transport, src/testing/vrrp-director.ts) paired with Debian's
// keepalived 2.2 on one Ethernet segment, both ways round, VRRPv2 and v3, multicast and unicast: lvsd is
// elected MASTER over a lower keepalived and keepalived takes over when lvsd dies (SIGKILL-like: no priority
// 0); then keepalived is MASTER over a lower lvsd, and lvsd takes over when keepalived's VRRP process is
// SIGKILLed. Each takeover must come within the backup's Master_Down_Interval (RFC 5798 §6.1 / RFC 3768 §6.1)
// of the master's last advert, and neither side may reject the other's adverts.
import t from 'tap';
import { setTimeout as sleep } from 'node:timers/promises';
import { masterDownMs } from '../../src/vrrp/timing.js';
import { pairConf, until, VrrpLab, type Variant } from '../../src/testing/keepalived-pair.js';

const skip = VrrpLab.missing() ?? false;
// Each variant has its own namespaces: run them side by side to keep the tier's wall time to the slowest (v2).
t.jobs = 4;


const VARIANTS: Variant[] = [
  { version: 3, unicast: false, advertInt: 0.1 },
  { version: 3, unicast: true, advertInt: 0.1 },
  { version: 2, unicast: false, advertInt: 1 },
  { version: 2, unicast: true, advertInt: 1 },
];

for (const v of VARIANTS) {
  const name = `VRRPv${v.version} ${v.unicast ? 'unicast' : 'multicast'}, advert_int ${v.advertInt}`;
  t.test(`${name}: lvsd MASTER / keepalived BACKUP and the reverse, takeover on SIGKILL both ways`, { skip, buffered: true }, async (t) => {
    const lab = new VrrpLab(`i${v.version}${v.unicast ? 'u' : 'm'}`);
    t.teardown(() => lab.teardown());
    const adv = v.advertInt * 1000;
    const mdi = (priority: number) => masterDownMs(v.version, priority, adv, 3);

    // 1. lvsd 150 on x against keepalived 100 on y: lvsd wins the election.
    const ka = lab.keepalived('y', pairConf(v, 'y', 100));
    const ours = lab.lvsd('x', pairConf(v, 'x', 150));
    await until('lvsd to become MASTER', async () => ours.node.state('VI').name === 'MASTER' && await lab.hasVip('x'), 10_000); // startup, beside three other labs starting
    await until('keepalived to enter BACKUP', () => ka.log.some((l) => /Entering BACKUP STATE/.test(l)), 3_000);
    await sleep(2 * adv);
    t.notOk(await lab.hasVip('y'), 'keepalived does not hold the VIP while lvsd is MASTER');

    // 2. lvsd dies: keepalived takes over (seen by polling `ip addr` beside three other labs: a loose bound).
    ours.crash();
    lab.dropVip('x');
    const kaTook = await until('keepalived to take over', () => lab.hasVip('y'), mdi(100) + 2_000);
    t.ok(kaTook <= mdi(100) + 1_000, `keepalived took over ${Math.round(kaTook)} ms after lvsd died (its Master_Down_Interval ${mdi(100)} ms)`);
    t.same(Object.fromEntries(ours.node.rejections('VI')), {}, 'lvsd rejected none of keepalived\'s adverts');

    // 3. A fresh lvsd at 50 joins as BACKUP under keepalived's MASTER and stays there.
    const backup = lab.lvsd('x', pairConf(v, 'x', 50));
    await until('lvsd to enter BACKUP', () => backup.node.state('VI').name === 'BACKUP', 2_000);
    await sleep(mdi(50) + adv);
    t.equal(backup.node.state('VI').name, 'BACKUP', 'lvsd stays BACKUP while keepalived advertises');
    t.notOk(await lab.hasVip('x'));

    // 4. keepalived's VRRP process is SIGKILLed: lvsd takes over within its Master_Down_Interval.
    const killedAt = performance.now();
    ka.crash();
    await until('lvsd to take over', async () => backup.node.state('VI').name === 'MASTER' && await lab.hasVip('x'), mdi(50) + 2_000);
    // Timed by the node's own clock (performance.now, as here): from the last advert heard to MASTER. Never
    // early; late only by what a loaded 2-core machine delays a timer.
    const heard = backup.lastHeard!;
    const promoted = backup.lastNotify!.at;
    const weTook = promoted - killedAt;
    t.ok(promoted - heard >= mdi(50) - 1 && promoted - heard <= mdi(50) + 250,
      `lvsd became MASTER ${Math.round(promoted - heard)} ms after keepalived's last advert (Master_Down_Interval ${mdi(50)} ms), ${Math.round(weTook)} ms after the SIGKILL`);
    t.same(Object.fromEntries(backup.node.rejections('VI')), {}, 'no keepalived advert rejected');
    const text = ka.log.join('\n');
    t.notMatch(text, /invalid|checksum|mismatch|wrong|too (long|short)|bad/i, 'keepalived found nothing wrong in lvsd\'s adverts');
    t.comment(`figures (${name}): keepalived took over ${Math.round(kaTook)} ms after lvsd died; lvsd took over ${Math.round(weTook)} ms after keepalived died`);
  });
}
