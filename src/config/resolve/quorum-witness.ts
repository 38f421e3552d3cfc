/** An lvsd_quorum_witness draft → QuorumWitness, with its defaults and the rules that keep it meaningful. */
import type { QuorumWitness } from '../../model/config-witness.js';
import { CODES, type Ctx } from '../keywords/context.js';
import type { WitnessDraft } from '../keywords/quorum-witness.js';

/** A fence command that hangs must not hold the takeover for ever. */
const FENCE_TIMEOUT_S = 5;
/** Writes per timeout by default: one late write must not make a live peer look dead. */
const WRITES_PER_TIMEOUT = 3;
/** The fewest: with fewer, a reader polling as often as the writer writes can miss a change by jitter alone. */
const MIN_WRITES_PER_TIMEOUT = 2;

/** `advertInt` (seconds) is the instance's: the default write interval, so the witness beats with the adverts. */
export function resolveWitness(d: WitnessDraft, advertInt: number, ctx: Ctx): QuorumWitness | null {
  const at = (what: string) => `lvsd_quorum_witness ${what}`;
  if (d.path === undefined) ctx.missing('path', d.loc, at('needs path (the shared file or block device)'));
  if (d.slot === undefined) ctx.missing('slot', d.loc, at('needs slot (this director\'s slot number)'));
  if (d.peerSlots === undefined) ctx.missing('peer_slot', d.loc, at('needs peer_slot (the other director\'s slot number)'));
  if (d.path === undefined || d.slot === undefined || d.peerSlots === undefined) return null;
  if (d.peerSlots.includes(d.slot)) {
    ctx.error(CODES.value, d.loc, at(`peer_slot ${d.slot} is this director's own slot`));
    return null;
  }
  const interval = d.interval ?? advertInt;
  // In whole µs, as every other timer of the configuration is kept.
  const timeout = d.timeout ?? Math.round(WRITES_PER_TIMEOUT * interval * 1e6) / 1e6;
  if (timeout < MIN_WRITES_PER_TIMEOUT * interval) {
    ctx.error(CODES.value, d.loc, at(`timeout ${timeout} s must be at least ${MIN_WRITES_PER_TIMEOUT} × interval (${interval} s), or a live peer would look dead`));
    return null;
  }
  return {
    loc: d.loc, path: d.path, slot: d.slot, peerSlots: d.peerSlots, interval, timeout,
    fence: d.fence ?? null, fenceTimeout: d.fenceTimeout ?? FENCE_TIMEOUT_S,
  };
}
