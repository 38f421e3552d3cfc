/**
 * The lvsd control protocol, shared by lvsadm (cli/client.ts) and the daemon: newline-delimited JSON over a
 * unix socket, one response line per request line, in order. docs/CONTROL-PROTOCOL.md is its reference
 * (requests, responses, versions, limits); keep the two in step.
 *
 *   → {"v":1,"id":1,"method":"apply","ops":[TableOp, …]}
 *   ← {"id":1,"ok":true}
 *   ← {"id":1,"ok":false,"index":2,"error":{"errno":"EEXIST","message":"…"}}   ops[0..1] applied, ops[2] failed
 *   → {"v":1,"id":2,"method":"snapshot"}      ← {"id":2,"ok":true,"snapshot":TableSnapshot}
 *   → {"v":1,"id":3,"method":"connections"}   ← {"id":3,"ok":true,"connections":[ConnEntry, …]}
 *   → {"v":1,"id":4,"method":"overrides"}     ← {"id":4,"ok":true,"overrides":[TableOp, …]}   operator overrides held
 *   → {"v":1,"id":5,"method":"health"}        ← {"id":5,"ok":true,"health":[VirtualServerSnapshot, …]}   [] = no checkers
 *   ← {"id":n|null,"ok":false,"error":{"message":"…"}}   request refused (malformed, unknown method or version): nothing done
 *
 * The decoders take any JSON value and return a typed message or one clear sentence saying what is wrong;
 * they never throw, so the daemon can answer garbage with an error instead of crashing.
 */
import type { TableOp } from '../model/ops.js';
import type { ConnEntry, TableSnapshot } from '../model/table.js';
import { arrayOf, bool, field, int, obj, oneOf, optField, ProtocolError, str, type Decoder, type Obj } from './protocol-guards.js';
import { connEntry, tableOp, tableSnapshot } from './protocol-table.js';
import { healthReport } from './protocol-health.js';
import type { VirtualServerSnapshot } from '../health/snapshot.js';

/** A failed operation as the wire carries it: a kernel errno name (TableErrno, or one lvsadm may not know). */
export interface OpError {
  readonly errno?: string;
  readonly message: string;
}

export type ControlMethod = 'apply' | 'snapshot' | 'connections' | 'overrides' | 'health';

export type ControlRequest =
  | { readonly id: number; readonly method: 'apply'; readonly ops: readonly TableOp[] }
  | { readonly id: number; readonly method: 'snapshot' }
  | { readonly id: number; readonly method: 'connections' }
  | { readonly id: number; readonly method: 'overrides' }
  | { readonly id: number; readonly method: 'health' };

export type ControlResponse =
  | { readonly id: number; readonly ok: true }
  | { readonly id: number; readonly ok: true; readonly snapshot: TableSnapshot }
  | { readonly id: number; readonly ok: true; readonly connections: readonly ConnEntry[] }
  | { readonly id: number; readonly ok: true; readonly overrides: readonly TableOp[] }
  | { readonly id: number; readonly ok: true; readonly health: readonly VirtualServerSnapshot[] }
  | { readonly id: number; readonly ok: false; readonly index: number; readonly error: OpError }
  | { readonly id: number | null; readonly ok: false; readonly error: OpError };

/** Distributes Omit over a union, so each request type keeps its own fields. */
export type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** What a decoder returns: the typed value, or why the input is not one. */
export type Decoded<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

/** More ops than this in one request are refused (a restore of a very large table is several requests). */
export const MAX_OPS_PER_REQUEST = 100_000;

const MAX_ID = Number.MAX_SAFE_INTEGER;
const requestId = int(0, MAX_ID);

/**
 * The protocol version this build speaks; every request says which one it is written in ("v"). A request
 * without "v" is version 1, what lvsadm sent before versions were numbered. A daemon answers a version it
 * does not speak with a refusal naming both, so an lvsadm newer than its lvsd fails with one clear sentence.
 */
export const CONTROL_PROTOCOL_VERSION = 1;

const version: Decoder<number> = (v, path) => {
  const n = int(1, MAX_ID)(v, path);
  if (n !== CONTROL_PROTOCOL_VERSION) {
    throw new ProtocolError(`${path}: protocol version ${n} is not spoken here (this side speaks version ${CONTROL_PROTOCOL_VERSION})`);
  }
  return n;
};

function decode<T>(d: Decoder<T>, v: unknown, path: string): Decoded<T> {
  try {
    return { ok: true, value: d(v, path) };
  } catch (e) {
    if (e instanceof ProtocolError) return { ok: false, error: e.message };
    throw e;
  }
}

/** JSON.parse that reports instead of throwing. */
export function parseJsonLine(line: string): Decoded<unknown> {
  try {
    return { ok: true, value: JSON.parse(line) as unknown };
  } catch (e) {
    return { ok: false, error: `not JSON: ${(e as Error).message}` };
  }
}

const request: Decoder<ControlRequest> = (v, path) => {
  const o = obj(v, path);
  optField(o, 'v', version, path);
  const id = field(o, 'id', requestId, path);
  const method = field(o, 'method', oneOf(['apply', 'snapshot', 'connections', 'overrides', 'health']), path);
  if (method === 'apply') return { id, method, ops: field(o, 'ops', arrayOf(tableOp, MAX_OPS_PER_REQUEST), path) };
  return { id, method };
};

/** One request line as lvsadm sends it: the version, the id, the request. */
export function requestLine(id: number, req: DistributiveOmit<ControlRequest, 'id'>): string {
  return `${JSON.stringify({ v: CONTROL_PROTOCOL_VERSION, id, ...req })}\n`;
}

/** Validates an untrusted request (already JSON-parsed). */
export function parseRequest(v: unknown): Decoded<ControlRequest> {
  return decode(request, v, 'request');
}

/** Validates one request line. */
export function parseRequestLine(line: string): Decoded<ControlRequest> {
  const j = parseJsonLine(line);
  return j.ok ? parseRequest(j.value) : j;
}

/** The id of a request that failed validation, so the refusal can still carry it; null if there is none. */
export function requestIdOf(v: unknown): number | null {
  const id = typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj)['id'] : undefined;
  return typeof id === 'number' && Number.isInteger(id) && id >= 0 && id <= MAX_ID ? id : null;
}

const opError: Decoder<OpError> = (v, path) => {
  const o = obj(v, path);
  const errno = optField(o, 'errno', str(32, 1), path);
  const message = field(o, 'message', str(4096), path);
  return errno === undefined ? { message } : { errno, message };
};

const response: Decoder<ControlResponse> = (v, path) => {
  const o = obj(v, path);
  const ok = field(o, 'ok', bool, path);
  if (!ok) {
    const error = field(o, 'error', opError, path);
    const index = optField(o, 'index', int(0, MAX_OPS_PER_REQUEST), path);
    const id = o['id'] === null ? null : field(o, 'id', requestId, path);
    if (index === undefined) return { id, ok, error };
    if (id === null) throw new ProtocolError(`${path}.id: an apply failure must carry its request id`);
    return { id, ok, index, error };
  }
  const id = field(o, 'id', requestId, path);
  if (Object.hasOwn(o, 'snapshot')) return { id, ok, snapshot: field(o, 'snapshot', tableSnapshot, path) };
  if (Object.hasOwn(o, 'connections')) return { id, ok, connections: field(o, 'connections', arrayOf(connEntry), path) };
  if (Object.hasOwn(o, 'overrides')) return { id, ok, overrides: field(o, 'overrides', arrayOf(tableOp), path) };
  if (Object.hasOwn(o, 'health')) return { id, ok, health: field(o, 'health', healthReport, path) };
  return { id, ok };
};

/** Validates an untrusted response (already JSON-parsed). */
export function parseResponse(v: unknown): Decoded<ControlResponse> {
  return decode(response, v, 'response');
}

/** Response builders, so both sides spell the messages the same way. */
export const respond = {
  ok: (id: number): ControlResponse => ({ id, ok: true }),
  snapshot: (id: number, snapshot: TableSnapshot): ControlResponse => ({ id, ok: true, snapshot }),
  connections: (id: number, connections: readonly ConnEntry[]): ControlResponse => ({ id, ok: true, connections }),
  overrides: (id: number, overrides: readonly TableOp[]): ControlResponse => ({ id, ok: true, overrides }),
  health: (id: number, health: readonly VirtualServerSnapshot[]): ControlResponse => ({ id, ok: true, health }),
  opFailed: (id: number, index: number, error: OpError): ControlResponse => ({ id, ok: false, index, error }),
  refused: (id: number | null, message: string): ControlResponse => ({ id, ok: false, error: { message } }),
};
