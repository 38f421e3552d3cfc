/**
 * Small decoders for untrusted JSON: each takes a value and the path it was found at, returns it typed or
 * throws a ProtocolError naming the path and what was wrong ("ops[2].dest.port: expected an integer in
 * 0..65535, got 70000"). Unknown object keys are ignored, so newer peers can add fields.
 */
import { parseIp, type IpAddr } from '../model/address.js';

export class ProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtocolError';
  }
}

export type Decoder<T> = (v: unknown, path: string) => T;

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (typeof v === 'object') return 'an object';
  return String(v);
}

export function expected(path: string, what: string, v: unknown): ProtocolError {
  return new ProtocolError(`${path}: expected ${what}, got ${describe(v)}`);
}

export type Obj = Readonly<Record<string, unknown>>;

export function obj(v: unknown, path: string): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw expected(path, 'an object', v);
  return v as Obj;
}

/** Reads o[key] with a decoder; the path grows by the key. */
export function field<T>(o: Obj, key: string, d: Decoder<T>, path: string): T {
  return d(Object.hasOwn(o, key) ? o[key] : undefined, path ? `${path}.${key}` : key);
}

/** Like field(), but an absent (or undefined) key is undefined. */
export function optField<T>(o: Obj, key: string, d: Decoder<T>, path: string): T | undefined {
  return Object.hasOwn(o, key) && o[key] !== undefined ? field(o, key, d, path) : undefined;
}

export const int = (min: number, max: number): Decoder<number> => (v, path) => {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw expected(path, `an integer in ${min}..${max}`, v);
  return v;
};

/** A counter or rate: a finite number ≥ 0 (u64 counters may exceed 2^53 and arrive rounded). */
export const counter: Decoder<number> = (v, path) => {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw expected(path, 'a number ≥ 0', v);
  return v;
};

export const str = (maxLen: number, minLen = 0): Decoder<string> => (v, path) => {
  if (typeof v !== 'string' || v.length > maxLen || v.length < minLen) throw expected(path, `a string of ${minLen}..${maxLen} characters`, v);
  return v;
};

export const bool: Decoder<boolean> = (v, path) => {
  if (typeof v !== 'boolean') throw expected(path, 'true or false', v);
  return v;
};

export function oneOf<const T extends string>(values: readonly T[]): Decoder<T> {
  return (v, path) => {
    if (typeof v !== 'string' || !(values as readonly string[]).includes(v)) throw expected(path, `one of ${values.join('|')}`, v);
    return v as T;
  };
}

export function arrayOf<T>(d: Decoder<T>, maxLen = 1_000_000): Decoder<T[]> {
  return (v, path) => {
    if (!Array.isArray(v) || v.length > maxLen) throw expected(path, `an array of at most ${maxLen} items`, v);
    return v.map((x, i) => d(x, `${path}[${i}]`));
  };
}

/** An address: { af: 4|6, text } with text in canonical form, so keys built from it are stable. */
export const ipAddr: Decoder<IpAddr> = (v, path) => {
  const o = obj(v, path);
  const af = field(o, 'af', oneOfNumber([4, 6] as const), path);
  const text = field(o, 'text', str(64, 1), path);
  const parsed = parseIp(text);
  if (!parsed || parsed.af !== af || parsed.text !== text) {
    throw new ProtocolError(`${path}.text: expected a canonical IPv${af} address, got ${describe(text)}`);
  }
  return parsed;
};

export function oneOfNumber<const T extends number>(values: readonly T[]): Decoder<T> {
  return (v, path) => {
    if (typeof v !== 'number' || !(values as readonly number[]).includes(v)) throw expected(path, `one of ${values.join('|')}`, v);
    return v as T;
  };
}
