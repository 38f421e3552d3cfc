/**
 * One director's slot of a quorum witness (lvsd_quorum_witness, src/model/config-witness.ts): a fixed-size
 * record at slot × 512 bytes, so a block device writes it in one sector and a reader never mixes two writers.
 *
 *   0  8  magic "LVSDQW\0\x01" (format 1)
 *   8  4  sequence number, +1 per write (big-endian): readers judge liveness by it moving, on their own clock,
 *         so the directors' clocks need not agree (qdiskd's timestamps need NTP; a counter does not)
 *  12  1  state: 0 INIT/stopped, 1 BACKUP, 2 MASTER, 3 FAULT
 *  13  1  effective priority
 *  14  1  VRID
 *  15  1  0
 *  16  8  the writer's wall-clock time in ms (float64, big-endian), for operators reading the file
 *  24 32  the instance name, UTF-8, NUL-padded
 *  56  4  FNV-1a 32 of bytes 0..55: a torn or foreign record is refused, never believed
 *  60 452 zero
 */
import { WITNESS_SLOT_BYTES } from '../model/config-witness.js';

export type WitnessState = 'INIT' | 'BACKUP' | 'MASTER' | 'FAULT';

export interface WitnessRecord {
  readonly seq: number;
  readonly state: WitnessState;
  readonly priority: number;
  readonly vrid: number;
  readonly wallMs: number;
  readonly name: string;
}

export type DecodedSlot =
  | { readonly ok: true; readonly record: WitnessRecord }
  /** empty: never written (all zero); corrupt: bad magic, checksum or field. */
  | { readonly ok: false; readonly why: 'empty' | 'corrupt'; readonly detail: string };

const MAGIC = [0x4c, 0x56, 0x53, 0x44, 0x51, 0x57, 0x00, 0x01];
const STATES: readonly WitnessState[] = ['INIT', 'BACKUP', 'MASTER', 'FAULT'];
const NAME_AT = 24;
const NAME_LEN = 32;
const SUM_AT = 56;

function fnv1a(b: Uint8Array, end: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < end; i++) h = Math.imul(h ^ b[i]!, 0x01000193) >>> 0;
  return h;
}

export function encodeSlot(r: WitnessRecord): Uint8Array {
  const b = new Uint8Array(WITNESS_SLOT_BYTES);
  const v = new DataView(b.buffer);
  b.set(MAGIC, 0);
  v.setUint32(8, r.seq >>> 0);
  b[12] = STATES.indexOf(r.state);
  b[13] = r.priority;
  b[14] = r.vrid;
  v.setFloat64(16, r.wallMs);
  // Cut at a character boundary that fits: TextEncoder.encodeInto never splits a character.
  new TextEncoder().encodeInto(r.name, b.subarray(NAME_AT, NAME_AT + NAME_LEN));
  v.setUint32(SUM_AT, fnv1a(b, SUM_AT));
  return b;
}

export function decodeSlot(b: Uint8Array): DecodedSlot {
  if (b.length < SUM_AT + 4) return { ok: false, why: 'corrupt', detail: `slot is ${b.length} bytes, shorter than a record` };
  if (b.subarray(0, SUM_AT + 4).every((x) => x === 0)) return { ok: false, why: 'empty', detail: 'slot never written' };
  if (!MAGIC.every((m, i) => b[i] === m)) return { ok: false, why: 'corrupt', detail: 'not an lvsd witness record (bad magic)' };
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (v.getUint32(SUM_AT) !== fnv1a(b, SUM_AT)) return { ok: false, why: 'corrupt', detail: 'checksum mismatch (torn or overwritten record)' };
  const state = STATES[b[12]!];
  if (state === undefined) return { ok: false, why: 'corrupt', detail: `unknown state code ${b[12]}` };
  const nameBytes = b.subarray(NAME_AT, NAME_AT + NAME_LEN);
  const nul = nameBytes.indexOf(0);
  const name = new TextDecoder('utf-8', { fatal: false }).decode(nul < 0 ? nameBytes : nameBytes.subarray(0, nul));
  return {
    ok: true,
    record: { seq: v.getUint32(8), state, priority: b[13]!, vrid: b[14]!, wallMs: v.getFloat64(16), name },
  };
}
