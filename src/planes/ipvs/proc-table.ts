import { closeSync, openSync, readSync } from 'node:fs';
import { addrPort } from '../../model/address.js';
import type { FwdMethod } from '../../model/service.js';
import { procAddr, procPort } from './proc-addr.js';
import { FWD_METHODS, ProcDests } from './proc-dests.js';

/**
 * Parses /proc/net/ip_vs (net/netfilter/ipvs/ip_vs_ctl.c ip_vs_info_seq_show): the whole table of the reader's
 * network namespace in one read, where netlink needs one GET_DEST dump per service. It carries each real
 * server's address, port, forwarding method, weight and connection counts, and of a service only what
 * identifies it (the rest comes from one GET_SERVICE dump). Lines that do not fit are reported, and the
 * service they belong to is left out, so its caller asks netlink for it instead of guessing.
 *
 * The file is read in chunks through one buffer and real-server lines are parsed from its bytes into
 * ProcDests: a 110,000-line table never exists as one string, as line strings or as objects.
 */

/** A service's real servers: the range [first, end) of ProcIpVs.dests, in the kernel's order. */
export interface ProcRange {
  readonly first: number;
  readonly end: number;
}

export interface ProcIpVs {
  /** Address services by serviceKey (`tcp:198.18.0.1:80`). */
  readonly byKey: Map<string, ProcRange>;
  /** Fwmark services by mark: /proc prints no family, so a mark used by v4 and v6 has two entries. */
  readonly byMark: Map<number, ProcRange[]>;
  readonly dests: ProcDests;
  readonly bad: string[];
}

const PROTOCOLS: Readonly<Record<string, string>> = { TCP: 'tcp', UDP: 'udp', SCTP: 'sctp' };
/** ip_vs_fwd_name(): what each forwarding method is called there (anything else prints as Masq). */
const FWD_NAMES: Readonly<Record<FwdMethod, string>> = { masq: 'Masq', local: 'Local', tunnel: 'Tunnel', route: 'Route' };
const HEADER_DEST = 'RemoteAddress:Port';

/** Parses the whole text at once (tests, and anything that already holds it). */
export function parseIpVs(text: string): ProcIpVs {
  const p = new Parser();
  const buf = Buffer.from(text, 'latin1');
  return p.finish(buf.subarray(p.feed(buf, 0, buf.length)));
}

/** Reads and parses `path` through a reused buffer of `chunkBytes` (grown only for a longer line); throws when unreadable. */
export function readIpVs(path = '/proc/net/ip_vs', chunkBytes = 128 * 1024): ProcIpVs {
  const fd = openSync(path, 'r');
  try {
    const p = new Parser();
    let buf = Buffer.allocUnsafeSlow(chunkBytes);
    let kept = 0; // an unfinished line's bytes at the start of buf
    for (;;) {
      if (kept === buf.length) buf = Buffer.concat([buf, Buffer.allocUnsafeSlow(buf.length)]);
      const n = readSync(fd, buf, kept, buf.length - kept, null);
      if (n === 0) return p.finish(buf.subarray(0, kept));
      const end = kept + n;
      const done = p.feed(buf, 0, end);
      kept = end - done;
      buf.copyWithin(0, done, end);
    }
  } finally {
    closeSync(fd);
  }
}

interface Current {
  /** serviceKey, fwmark, or null when the service is not offered */
  readonly key: string | number;
  readonly range: { first: number; end: number };
}

class Parser {
  private readonly out: ProcIpVs = { byKey: new Map(), byMark: new Map(), dests: new ProcDests(), bad: [] };
  /** The service whose real servers follow; null before any or after one that did not parse. */
  private current: Current | null = null;
  /** Token bounds of the line being read, start and end pairs: six tokens and one more to see a seventh. */
  private readonly tokens = new Int32Array(14);
  /** The address and port of the real-server line being read (addrPort()). */
  private readonly addr = new Uint32Array(4);
  private port = 0;

  /** Parses the complete lines of buf[from, to); returns where the unfinished last line starts. */
  feed(buf: Buffer, from: number, to: number): number {
    let at = from;
    for (let nl = buf.indexOf(10, at); nl >= 0 && nl < to; nl = buf.indexOf(10, at)) {
      this.line(buf, at, nl);
      at = nl + 1;
    }
    return at;
  }

  /** The result, after a last line without a newline (if `rest` holds one). */
  finish(rest: Buffer): ProcIpVs {
    if (rest.length > 0) this.line(rest, 0, rest.length);
    return this.out;
  }

  private line(buf: Buffer, start: number, end: number): void {
    const n = this.tokenize(buf, start, end);
    const t = this.tokens;
    if (n === 0) return;
    if (t[1]! - t[0]! === 2 && buf[t[0]!] === 0x2d && buf[t[0]! + 1] === 0x3e) { // "->"
      if (n >= 2 && equals(buf, t[2]!, t[3]!, HEADER_DEST)) return;
      if (this.current === null) this.out.bad.push(buf.toString('latin1', start, end)); // under a service that did not parse, or before any
      else if (!this.dest(buf, n)) this.drop(buf.toString('latin1', start, end));
      return;
    }
    const text = buf.toString('latin1', start, end);
    this.service(text.trim().split(/\s+/), text);
  }

  /** Finds up to seven blank-separated tokens; returns how many (7 means more than six). */
  private tokenize(buf: Buffer, start: number, end: number): number {
    const t = this.tokens;
    let n = 0;
    let i = start;
    while (n < 7) {
      while (i < end && isBlank(buf[i]!)) i++;
      if (i === end) break;
      t[n * 2] = i;
      while (i < end && !isBlank(buf[i]!)) i++;
      t[n * 2 + 1] = i;
      n++;
    }
    return n;
  }

  private service(f: string[], line: string): void {
    const head = f[0]!;
    if (head === 'IP' || head === 'Prot') return;
    const range = { first: this.out.dests.count, end: this.out.dests.count };
    if (head === 'FWM') {
      const mark = /^[0-9A-Fa-f]{8}$/.test(f[1] ?? '') ? parseInt(f[1]!, 16) : -1;
      if (mark < 0) return this.drop(line);
      const list = this.out.byMark.get(mark) ?? [];
      list.push(range);
      this.out.byMark.set(mark, list);
      this.current = { key: mark, range };
      return;
    }
    const key = serviceKeyOf(head, f[1]);
    if (key === null || this.out.byKey.has(key)) return this.drop(line);
    this.out.byKey.set(key, range);
    this.current = { key, range };
  }

  /** `-> ADDR:PORT FWD WEIGHT ACTIVE INACTIVE`, appended to the current service; false when it does not parse. */
  private dest(buf: Buffer, n: number): boolean {
    const t = this.tokens;
    if (n !== 6) return false;
    const af = this.addrPort(buf, t[2]!, t[3]!);
    const fwd = FWD_METHODS.findIndex((m) => equals(buf, t[4]!, t[5]!, FWD_NAMES[m]));
    const weight = count(buf, t[6]!, t[7]!);
    const active = count(buf, t[8]!, t[9]!);
    const inact = count(buf, t[10]!, t[11]!);
    if (af === 0 || fwd < 0 || weight < 0 || active < 0 || inact < 0) return false;
    this.out.dests.add(af, this.addr, this.port, fwd, weight, active, inact);
    this.current!.range.end = this.out.dests.count;
    return true;
  }

  /** `%08X:%04X` or `[%pI6]:%04X` into this.addr and this.port; returns the family, 0 when it does not parse. */
  private addrPort(buf: Buffer, start: number, end: number): 0 | 4 | 6 {
    const v4 = end - start === 13;
    if (!v4 && !(end - start === 46 && buf[start] === 0x5b && buf[start + 40] === 0x5d)) return 0;
    const portAt = end - 4;
    if (buf[portAt - 1] !== 0x3a) return 0;
    this.port = hex(buf, portAt, end);
    if (this.port < 0) return 0;
    if (v4) {
      const a = hex(buf, start, start + 8);
      this.addr[0] = a;
      return a < 0 ? 0 : 4;
    }
    for (let w = 0; w < 4; w++) {
      const at = start + 1 + w * 10; // two groups of four digits, each followed by ':' (or ']' at the end)
      const hi = hex(buf, at, at + 4);
      const lo = hex(buf, at + 5, at + 9);
      if (hi < 0 || lo < 0 || buf[at + 4] !== 0x3a || (w < 3 && buf[at + 9] !== 0x3a)) return 0;
      this.addr[w] = ((hi << 16) | lo) >>> 0;
    }
    return 6;
  }

  /** Reports a line and leaves its service out, whatever of it was read (its caller asks netlink instead). */
  private drop(line: string): void {
    this.out.bad.push(line);
    const c = this.current;
    if (c !== null) {
      if (typeof c.key === 'string') this.out.byKey.delete(c.key);
      else this.out.byMark.get(c.key)?.pop();
      this.out.dests.truncate(c.range.first);
    }
    this.current = null;
  }
}

/** Blanks as `\s` sees them in this ASCII file: space, \t, \n, \v, \f, \r. */
const isBlank = (b: number): boolean => b === 0x20 || (b >= 0x09 && b <= 0x0d);

function equals(buf: Buffer, start: number, end: number, word: string): boolean {
  if (end - start !== word.length) return false;
  for (let i = 0; i < word.length; i++) if (buf[start + i] !== word.charCodeAt(i)) return false;
  return true;
}

/** Hex digits of buf[start, end) (at most 8); -1 when any is not one. */
function hex(buf: Buffer, start: number, end: number): number {
  let v = 0;
  for (let i = start; i < end; i++) {
    const c = buf[i]! | 0x20; // lower case; digits are unaffected
    const d = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : -1;
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
}

/** Decimal digits (a count or weight, %d of a non-negative int); -1 when not all digits or beyond 32 bits. */
function count(buf: Buffer, start: number, end: number): number {
  if (end - start > 10) return -1;
  let v = 0;
  for (let i = start; i < end; i++) {
    const d = buf[i]! - 0x30;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v > 0xffffffff ? -1 : v;
}

/** `TCP  C6120000:0050` or `TCP  [2001:0db8:…]:0050` as serviceKey() writes it; null when it does not parse. */
function serviceKeyOf(proto: string, addrPortText: string | undefined): string | null {
  const protocol = PROTOCOLS[proto];
  const colon = addrPortText?.lastIndexOf(':') ?? -1;
  if (!protocol || addrPortText === undefined || colon < 0) return null;
  const addr = procAddr(addrPortText.slice(0, colon));
  const port = procPort(addrPortText.slice(colon + 1));
  return addr && port >= 0 ? `${protocol}:${addrPort(addr, port)}` : null;
}
