// What lvsd parses from keepalived.conf but does not act on yet, said once per kind as an
// LVSD_W_CONFIG_IGNORED warning at its first place (lvsd -t and every daemon load print it), so an operator
// is never misled by a configuration that passes the check. One entry per kind: the health-checking and VRRP
// work deletes its entries as it lands.
import type { KeepalivedConfig, SourceLoc } from '../model/config.js';
import { fileCheckedTracks } from '../health/checkers/file.js';
import { CODES } from './keywords/context.js';
import type { Diagnostic } from './tree.js';

interface Unused {
  /** Where each occurrence is, in file order. */
  readonly where: (cfg: KeepalivedConfig) => readonly SourceLoc[];
  /** The sentence after "N <what> …", given the occurrences found. */
  readonly say: (count: number, cfg: KeepalivedConfig) => string;
}

const plural = (n: number, one: string): string => `${n} ${one}${n === 1 ? '' : 's'}`;


const NOT_ACTED_ON: readonly Unused[] = [
  {
    where: (cfg) => cfg.vrrpInstances.map((i) => i.loc),
    say: (n) => `${plural(n, 'vrrp_instance')}: parsed but VRRP does not run yet: no adverts are sent or heard, ` +
      'virtual_ipaddress is not added, notify scripts never run',
  },
  {
    where: (cfg) => cfg.vrrpSyncGroups.map((g) => g.loc),
    say: (n) => `${plural(n, 'vrrp_sync_group')}: parsed but not acted on: VRRP does not run yet`,
  },
  {
    where: (cfg) => cfg.vrrpScripts.map((s) => s.loc),
    say: (n) => `${plural(n, 'vrrp_script')}: parsed but never run: VRRP does not run yet`,
  },
  {
    // health-wiring.ts reads the track_files a FILE_CHECK follows; the others only VRRP would read.
    where: (cfg) => {
      const checked = fileCheckedTracks(cfg);
      return cfg.trackFiles.filter((f) => !checked.has(f.name)).map((f) => f.loc);
    },
    say: (n) => `${plural(n, 'track_file')} no FILE_CHECK follows: parsed but not read: VRRP does not run yet`,
  },
  {
    where: (cfg) => cfg.trackProcesses.map((p) => p.loc),
    say: (n) => `${plural(n, 'track_process')}: parsed but not watched: VRRP does not run yet`,
  },
];

/** One warning per kind of configuration lvsd parses but does not act on yet, at its first occurrence. */
export function notActedOn(cfg: KeepalivedConfig): Diagnostic[] {
  return NOT_ACTED_ON.flatMap((u) => {
    const where = u.where(cfg);
    const first = where[0];
    if (first === undefined) return [];
    const more = where.length > 1 ? ' (the first of them is here)' : '';
    return [{ severity: 'warning', code: CODES.ignored, loc: { file: first.file, line: first.line }, message: `${u.say(where.length, cfg)}${more}` }];
  });
}
