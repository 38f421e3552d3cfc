/**
 * The `health` answer on the wire: every virtual server's quorum and every real server's checkers, state,
 * weight, last result and time of last transition (ms since the epoch, null = none since lvsd started).
 * The shape is src/health/snapshot.ts's; these decoders let lvsadm take it from an untrusted socket.
 */
import type { CheckerSnapshot, RealServerSnapshot, VirtualServerSnapshot } from '../health/snapshot.js';
import type { ProbeFailure, ProbeResult } from '../ports/prober.js';
import { arrayOf, bool, counter, field, int, obj, oneOf, optField, str, type Decoder } from './protocol-guards.js';

const INT32_MAX = 2147483647;
const FAILURES: readonly ProbeFailure[] = ['refused', 'timeout', 'reset', 'unreachable', 'status', 'digest', 'regex', 'exit', 'protocol', 'tls', 'error'];
const name = str(256, 1);
const detail = str(65_536);
const weight = int(-INT32_MAX - 1, INT32_MAX);
const time: Decoder<number | null> = (v, path) => (v === null ? null : counter(v, path));

const probeResult: Decoder<ProbeResult | null> = (v, path) => {
  if (v === null) return null;
  const o = obj(v, path);
  if (!field(o, 'up', bool, path)) return { up: false, reason: field(o, 'reason', oneOf(FAILURES), path), detail: field(o, 'detail', detail, path) };
  const w = optField(o, 'weight', weight, path);
  return w === undefined ? { up: true, detail: field(o, 'detail', detail, path) } : { up: true, detail: field(o, 'detail', detail, path), weight: w };
};

/** A decoder per field, in one table: each record below is its field list and nothing else. */
type Shape<T> = { readonly [K in keyof T]-?: Decoder<T[K]> };

function record<T>(shape: Shape<T>): Decoder<T> {
  return (v, path) => {
    const o = obj(v, path);
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(shape) as (keyof T & string)[]) out[k] = field(o, k, shape[k], path);
    return out as T;
  };
}

const checker = record<CheckerSnapshot>({
  type: name,
  file: str(4096),
  line: int(0, INT32_MAX),
  up: bool,
  hasRun: bool,
  retries: int(0, INT32_MAX),
  weight: (x, p) => (x === null ? null : weight(x, p)),
  last: probeResult,
  lastChange: time,
});

const realServer = record<RealServerSnapshot>({
  name,
  alive: bool,
  configuredWeight: weight,
  weight,
  lastChange: time,
  checkers: arrayOf(checker, 1000),
});

export const healthReport: Decoder<VirtualServerSnapshot[]> = arrayOf(record<VirtualServerSnapshot>({
  name,
  quorumUp: bool,
  liveWeight: counter,
  quorum: counter,
  hysteresis: counter,
  realServers: arrayOf(realServer),
}));
