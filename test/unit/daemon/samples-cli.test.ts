import t from 'tap';
import { existsSync, readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { LVSD, ensureBuilt } from '../../../src/testing/daemon.js';

// `lvsd -t` accepts every keepalived.conf sample Debian ships, and `lvsd --dump-config` shows what it
// understood. (test/unit/config/build-samples.test.ts pins each sample's counts and values in the model;
// here the same facts are read back from the command's JSON.)

const DIR = '/usr/share/doc/keepalived/samples';
const skip = existsSync(DIR) ? false : `${DIR} is missing (Debian's keepalived package installs it)`;
/** The conditional sample is written for the config id "high". */
const ID: Readonly<Record<string, string>> = { 'keepalived.conf.conditional_conf': 'high' };

interface Dump {
  virtualServers: Array<{ realServers: Array<{ checkers: unknown[] }> }>;
  vrrpInstances: unknown[];
}

t.test('every sample passes lvsd -t and dumps its services, real servers, checkers and instances', { skip }, async (t) => {
  ensureBuilt();
  const files = readdirSync(DIR).filter((f) => f.startsWith('keepalived.conf.'));
  t.ok(files.length >= 20, `${files.length} samples`);
  for (const f of files) {
    const id = ['-i', ID[f] ?? 'lvsd-test'];
    // -t and --dump-config share one path (check, print diagnostics, exit 1 on errors); the dump adds the JSON.
    const dump = spawnSync(process.execPath, [LVSD, '-t', '--dump-config', '-f', `${DIR}/${f}`, ...id], { encoding: 'utf8' });
    t.equal(dump.status, 0, `${f}: lvsd -t exit 0${dump.stderr ? `\n${dump.stderr}` : ''}`);
    t.notMatch(dump.stderr, /: error: /, `${f}: no error lines`);
    const cfg = JSON.parse(dump.stdout) as Dump;
    const rs = cfg.virtualServers.flatMap((v) => v.realServers);
    const checkers = rs.flatMap((r) => r.checkers);
    // Health checking and VRRP run: -t warns about neither (config/not-acted-on.ts).
    t.notMatch(dump.stderr, /vrrp_instances?: parsed|health checkers|'alpha' applies/, `${f}: checkers and VRRP are not said to be ignored`);
    t.ok(cfg.virtualServers.length + cfg.vrrpInstances.length > 0, `${f}: ${cfg.virtualServers.length} services, ${rs.length} real servers, ${checkers.length} checkers, ${cfg.vrrpInstances.length} VRRP instances`);
  }
});
