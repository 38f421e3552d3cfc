/**
 * virtual_server_group NAME { ADDR[-END|/LEN] [PORT] … fwmark N [inet|inet6] … }
 * (keepalived check/check_data.c alloc_vsg_entry). Address ranges are expanded here, capped at
 * MAX_RANGE addresses per line because lvsd creates one service per address.
 */
import { parseIp, v4Text, v4ToU32, v6Text, v6ToWords, type Family, type IpAddr } from '../../model/address.js';
import type { GroupAddressRange, GroupFwmark, SourceLoc } from '../../model/config.js';
import type { ConfigNode } from '../tree.js';
import { CODES, type Ctx } from './context.js';
import { namedBlock } from './vrrp-script.js';
import { bad, ok, optionalPort, parseInteger, type Parsed } from './values.js';

export const MAX_RANGE = 65536;

export interface GroupDraft {
  readonly loc: SourceLoc;
  readonly name: string;
  ranges: GroupAddressRange[];
  fwmarks: GroupFwmark[];
  /** Some entry was rejected (and reported). */
  rejected?: boolean;
}

export const newGroupDraft = namedBlock<GroupDraft>('virtual_server_group', (name, loc) => ({ name, loc, ranges: [], fwmarks: [] }));

const toBig = (a: IpAddr): bigint =>
  a.af === 4 ? BigInt(v4ToU32(a.text)) : v6ToWords(a.text).reduce((acc, w) => (acc << 32n) | BigInt(w), 0n);

const fromBig = (af: Family, n: bigint): IpAddr => {
  if (af === 4) return { af, text: v4Text(Number(n)) };
  const words = [96n, 64n, 32n, 0n].map((s) => Number((n >> s) & 0xffffffffn));
  return { af, text: v6Text(words) };
};

/** The first and last address of `A`, `A-B` (B a full address or the last byte/16-bit group) or `A/LEN`. */
export function addressRange(s: string): Parsed<{ first: IpAddr; last: IpAddr }> {
  const sep = s.search(/[-/]/);
  const first = parseIp(sep < 0 ? s : s.slice(0, sep));
  if (!first) return bad(`"${s}" is not an IP address, address range (A-B) or network (A/LEN)`);
  if (sep < 0) return ok({ first, last: first });
  const tail = s.slice(sep + 1);
  const bits = first.af === 4 ? 32 : 128;
  const start = toBig(first);
  if (s[sep] === '/') {
    const len = parseInteger(tail, false);
    if (len === null || len < 1 || len > bits) return bad(`network ${s} has prefix length "${tail}", which must be from 1 to ${bits}`);
    const host = (1n << BigInt(bits - len)) - 1n;
    if ((start & host) !== 0n) return bad(`network ${s} has host bits set`);
    return ok({ first, last: fromBig(first.af, start | host) });
  }
  const full = parseIp(tail);
  let end: bigint;
  if (full) {
    if (full.af !== first.af) return bad(`range ${s} mixes IPv4 and IPv6`);
    end = toBig(full);
  } else {
    // a.b.c.d-e replaces the last byte (decimal); x::y-z the last 16-bit group (hex) — inet_stor.
    const v = first.af === 4 ? (/^\d+$/.test(tail) ? Number(tail) : NaN) : (/^[0-9a-fA-F]+$/.test(tail) ? parseInt(tail, 16) : NaN);
    const width = first.af === 4 ? 8n : 16n;
    if (!Number.isFinite(v) || v >= 2 ** Number(width)) return bad(`range ${s} ends in "${tail}", which is not a valid last ${first.af === 4 ? 'byte' : 'group'}`);
    end = ((start >> width) << width) | BigInt(v);
  }
  if (end < start) return bad(`range ${s} ends before it starts`);
  return ok({ first, last: fromBig(first.af, end) });
}

function expand(first: IpAddr, last: IpAddr): IpAddr[] {
  const out: IpAddr[] = [];
  for (let n = toBig(first), end = toBig(last); n <= end; n++) out.push(fromBig(first.af, n));
  return out;
}

/** One line of the group block. */
export function addGroupLine(d: GroupDraft, line: ConfigNode, ctx: Ctx): void {
  const words = [line.keyword, ...line.args];
  const invalid = (problem: string) => {
    ctx.reject('entries');
    ctx.error(CODES.value, line.loc, problem);
  };
  if (line.keyword === 'fwmark') {
    const mark = parseInteger(words[1] ?? '', false);
    if (mark === null || mark > 0xffffffff) return invalid(`fwmark must be a number from 0 to 4294967295, not "${words[1] ?? ''}"`);
    const fam = words[2];
    if (fam !== undefined && fam !== 'inet' && fam !== 'inet6') return invalid(`fwmark family must be inet or inet6, not "${fam}"`);
    d.fwmarks.push({ loc: line.loc, fwmark: mark, family: fam === undefined ? null : fam === 'inet' ? 4 : 6 });
    return;
  }
  const range = addressRange(line.keyword);
  if (!range.ok) return invalid(range.error);
  const port = optionalPort(words[1]);
  if (!port.ok) return invalid(`${line.keyword} ${port.error}`);
  const size = toBig(range.value.last) - toBig(range.value.first) + 1n;
  if (size > BigInt(MAX_RANGE)) return invalid(`${line.keyword} covers ${size} addresses; lvsd expands group ranges and allows at most ${MAX_RANGE} per line`);
  d.ranges.push({ loc: line.loc, ...range.value, port: port.value, addrs: expand(range.value.first, range.value.last) });
}
