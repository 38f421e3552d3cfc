// What lvsd parses from keepalived.conf but does not act on yet, said once per kind as an
// LVSD_W_CONFIG_IGNORED warning at its first place (lvsd -t and every daemon load print it), so an operator
// is never misled by a configuration that passes the check. One entry per kind: the health-checking and VRRP
// work deletes its entries as it lands.
import type { KeepalivedConfig, SourceLoc } from '../model/config.js';
import { CODES } from './keywords/context.js';
import type { Diagnostic } from './tree.js';

interface Unused {
  /** Where each occurrence is, in file order. */
  readonly where: (cfg: KeepalivedConfig) => readonly SourceLoc[];
  /** The sentence after "N <what> …", given the occurrences found. */
  readonly say: (count: number, cfg: KeepalivedConfig) => string;
}

const plural = (n: number, one: string): string => `${n} ${one}${n === 1 ? '' : 's'}`;

const checkedServers = (cfg: KeepalivedConfig) =>
  cfg.virtualServers.flatMap((vs) => vs.realServers.filter((rs) => rs.checkers.length > 0).map((rs) => ({ vs, rs })));

const checkerTypes = (cfg: KeepalivedConfig): string =>
  [...new Set(checkedServers(cfg).flatMap(({ rs }) => rs.checkers.map((c) => c.type)))].join(', ');

const NOT_ACTED_ON: readonly Unused[] = [
  {
    where: (cfg) => cfg.virtualServers.filter((vs) => vs.realServers.some((rs) => rs.checkers.length > 0)).map((vs) => vs.loc),
    say: (n, cfg) => `health checkers (${checkerTypes(cfg)}) in ${plural(n, 'virtual_server')} are parsed but not run yet: ` +
      'their real servers stay at their configured weight whatever their health, and notify_up/notify_down, ' +
      'quorum_up/quorum_down never run',
  },
  {
    // reconcile/desired.ts initialHealth: with alpha a checked real server starts down until a checker passes.
    where: (cfg) => checkedServers(cfg).filter(({ vs, rs }) => vs.alpha || rs.alpha).map(({ rs }) => rs.loc),
    say: (n) => `'alpha' applies to ${plural(n, 'real_server')} with a checker: such a server starts down until a checker ` +
      'passes, and no checker runs yet, so it stays out of the table (or at weight 0 with inhibit_on_failure)',
  },
  {
    where: (cfg) => cfg.trackFiles.map((f) => f.loc),
    say: (n) => `${plural(n, 'track_file')}: parsed but not read: VRRP and health checking do not run yet`,
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
