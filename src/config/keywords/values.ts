/**
 * Value parsers for keyword arguments, shared by every keyword table. Each takes the words after the
 * keyword and returns the value or the rest of a sentence saying what was wrong ("must be …").
 * Number and timer rules follow keepalived lib/parser.c (read_unsigned, read_int, read_timer,
 * check_true_false); addresses follow inet_pton as keepalived's inet_stosockaddr uses it.
 */
import { parseIp, type IpAddr } from '../../model/address.js';
import type { ScriptSpec } from '../../model/config.js';
import { splitQuotedEscaped } from '../quoted.js';

export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };
export type ValueParser<T> = ((args: readonly string[]) => Parsed<T>) & {
  /**
   * The keyword's arguments come from keepalived's second split, alloc_strvec_quoted_escaped (single
   * quotes and escapes honoured), as keepalived reads scripts and regexes.
   */
  readonly quoted?: boolean;
};

export const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
export const bad = (error: string): Parsed<never> => ({ ok: false, error });

/** The first argument, or the "needs a value" failure. */
function first<T>(args: readonly string[], what: string, f: (s: string) => Parsed<T>): Parsed<T> {
  const s = args[0];
  return s === undefined || s === '' ? bad(`needs ${what}`) : f(s);
}

/** keepalived accepts leading blanks and a sign the way strtol/strtoul do. */
export function parseInteger(s: string, signed: boolean): number | null {
  const re = signed ? /^\s*[+-]?\d+$/ : /^\s*\+?\d+$/;
  return re.test(s) ? Number(s.trim()) : null;
}

export function uint(min: number, max: number): ValueParser<number> {
  const what = `a whole number from ${min} to ${max}`;
  return (args) => first(args, what, (s) => {
    const n = parseInteger(s, false);
    return n !== null && n >= min && n <= max ? ok(n) : bad(`must be ${what}, not "${s}"`);
  });
}

export function int(min: number, max: number): ValueParser<number> {
  const what = `a whole number from ${min} to ${max}`;
  return (args) => first(args, what, (s) => {
    const n = parseInteger(s, true);
    return n !== null && n >= min && n <= max ? ok(n) : bad(`must be ${what}, not "${s}"`);
  });
}

/** A decimal number of seconds, µs resolution (TIMER_HZ_DIGITS = 6); extra digits are rounded like keepalived. */
export function parseSeconds(s: string): number | null {
  const m = /^(\d*)(?:\.(\d*))?$/.exec(s.trim());
  if (!m || (m[1] === '' && !m[2])) return null;
  const frac = (m[2] ?? '').padEnd(7, '0');
  const micros = Number(m[1] || '0') * 1e6 + Number(frac.slice(0, 6)) + (Number(frac[6]) >= 5 ? 1 : 0);
  return micros / 1e6;
}

/** A timer in seconds from min to max (max Infinity = keepalived's TIMER_MAXIMUM). */
export function seconds(min: number, max = Infinity): ValueParser<number> {
  const what = max === Infinity ? `a number of seconds of at least ${min}` : `a number of seconds from ${min} to ${max}`;
  return (args) => first(args, what, (s) => {
    const n = parseSeconds(s);
    return n !== null && n >= min && n <= max ? ok(n) : bad(`must be ${what}, not "${s}"`);
  });
}

/** check_true_false: true/on/yes, false/off/no. */
export function parseBool(s: string): boolean | null {
  if (s === 'true' || s === 'on' || s === 'yes') return true;
  if (s === 'false' || s === 'off' || s === 'no') return false;
  return null;
}

/** A keyword that means "on" alone and also takes an explicit boolean (`smtp_alert [BOOL]`). */
export const flag: ValueParser<boolean> = (args) => {
  const s = args[0];
  if (s === undefined) return ok(true);
  const b = parseBool(s);
  return b === null ? bad(`must be yes/no, on/off or true/false, not "${s}"`) : ok(b);
};

export const word: ValueParser<string> = (args) => first(args, 'a value', ok);

/** All the arguments, which must not be empty. */
export const words: ValueParser<readonly string[]> = (args) => (args.length ? ok(args) : bad('needs a value'));

export const ip: ValueParser<IpAddr> = (args) => first(args, 'an IP address', (s) => {
  const a = parseIp(s);
  return a ? ok(a) : bad(`must be an IPv4 or IPv6 address, not "${s}"`);
});

export const port = uint(1, 65535);

/** A port that may be omitted or written 0 (keepalived's alloc_vs/alloc_rs treat "0" as no port). */
export function optionalPort(s: string | undefined): Parsed<number> {
  if (s === undefined || /^0+$/.test(s)) return ok(0);
  const n = parseInteger(s, false);
  return n !== null && n >= 1 && n <= 65535 ? ok(n) : bad(`has port "${s}", which must be from 1 to 65535`);
}

/** `ADDRESS [PORT]` (sorry_server, smtp_server's address form, real_server). */
export const addrPort: ValueParser<{ addr: IpAddr; port: number }> = (args) => {
  const a = ip(args);
  if (!a.ok) return a;
  const p = optionalPort(args[1]);
  return p.ok ? ok({ addr: a.value, port: p.value }) : p;
};

/** One of a fixed set of words, mapped to the model's spelling. */
export function oneOf<T>(choices: Readonly<Record<string, T>>, opts: { ignoreCase?: boolean } = {}): ValueParser<T> {
  const names = Object.keys(choices);
  return (args) => first(args, `one of ${names.join(', ')}`, (s) => {
    const key = opts.ignoreCase ? names.find((n) => n.toLowerCase() === s.toLowerCase()) : s;
    return key !== undefined && Object.hasOwn(choices, key) ? ok(choices[key]!) : bad(`must be one of ${names.join(', ')}, not "${s}"`);
  });
}

/**
 * `"COMMAND ARGS…" [USER [GROUP]]` (lib/notify.c notify_script_init): the first argument split again into
 * the command's words (set_script_params_array), the next two the user and group.
 */
export const script: ValueParser<ScriptSpec> = Object.assign(
  (args: readonly string[]) => first(args, 'a script', (s) => {
    const split = splitQuotedEscaped(s);
    if ('error' in split) return bad(`cannot be split into words: ${split.error}`);
    if (split.words.length === 0) return bad(`must be a command, not "${s}"`);
    return ok({ argv: split.words, user: args[1] ?? null, group: args[2] ?? null });
  }),
  { quoted: true },
);

/** A single word read like a script (regex): quotes and escapes honoured. */
export const quotedWord: ValueParser<string> = Object.assign((args: readonly string[]) => word(args), { quoted: true });

/** `W [reverse|noreverse]` as vrrp_script/track_file/FILE_CHECK weights take it. */
export function weight(min: number, max: number): ValueParser<{ weight: number; reverse: boolean }> {
  const num = int(min, max);
  return (args) => {
    const w = num(args);
    if (!w.ok) return w;
    const opt = args[1];
    if (opt !== undefined && opt !== 'reverse' && opt !== 'noreverse') return bad(`option must be reverse or noreverse, not "${opt}"`);
    return ok({ weight: w.value, reverse: opt === 'reverse' });
  };
}

/**
 * read_hex_str (lib/parser.c): hex digits in pairs, blanks separate groups, an odd digit before a blank
 * is a byte of its own; with `masked`, x/X is a don't-care nibble recorded in the mask.
 */
export function hexBytes(text: string, masked: boolean): { data: number[]; mask: number[] | null } | null {
  const data: number[] = [];
  const mask: number[] = [];
  const nibble = (c: string): [number, number] | null => {
    if (masked && (c === 'x' || c === 'X')) return [0, 0xf];
    return /^[0-9a-fA-F]$/.test(c) ? [parseInt(c, 16), 0] : null;
  };
  for (const group of text.trim().split(/[ \t]+/)) {
    for (let i = 0; i < group.length; i += 2) {
      const hi = nibble(group[i]!);
      const lo = i + 1 < group.length ? nibble(group[i + 1]!) : null;
      if (!hi || (i + 1 < group.length && !lo)) return null;
      data.push(lo ? (hi[0] << 4) | lo[0] : hi[0]);
      mask.push(lo ? (hi[1] << 4) | lo[1] : hi[1]);
    }
  }
  if (data.length === 0) return null;
  return { data, mask: mask.some((m) => m !== 0) ? mask : null };
}

/** UINT_MAX / TIMER_HZ: the longest whole-second delay keepalived stores in µs. */
export const MAX_WHOLE_SECONDS = 4294;
