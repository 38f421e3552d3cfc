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

const NOT_ACTED_ON: readonly Unused[] = [
  {
    where: (cfg) => cfg.trackProcesses.map((p) => p.loc),
    say: (n) => `${plural(n, 'track_process')}: parsed but not watched: VRRP runs without it (a tracked process never changes an instance's state or priority)`,
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
