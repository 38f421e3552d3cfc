/**
 * The quorum witness of one vrrp_instance (lvsd_quorum_witness; docs/QUORUM-WITNESS.md): writes this
 * director's slot — state, priority, a sequence number — every `interval` and on every state change, with
 * pwrite at slot × 512 and O_DSYNC so the record is on the shared medium before the call returns; reads the
 * peers' slots back at the same pace; and answers the TakeoverGuard question with the pure verdict of
 * src/vrrp/witness-watch.ts, then the fence command. A clean stop writes INIT, so a peer need not wait for
 * the slot to go stale; a crash writes nothing, and the slot goes stale after `timeout`.
 */
import { closeSync, constants, openSync, readSync, writeSync } from 'node:fs';
import type { VrrpInstance } from '../model/config-vrrp.js';
import { WITNESS_SLOT_BYTES, type QuorumWitness } from '../model/config-witness.js';
import type { Clock, TimerHandle } from '../ports/clock.js';
import type { ScriptRunner } from '../ports/scripts.js';
import type { GuardVerdict } from '../ports/takeover-guard.js';
import { decodeSlot, encodeSlot, type DecodedSlot, type WitnessState } from '../vrrp/witness-record.js';
import { WitnessWatch } from '../vrrp/witness-watch.js';

export interface WitnessKeeperOptions {
  readonly instance: VrrpInstance;
  readonly witness: QuorumWitness;
  readonly clock: Clock;
  readonly scripts: ScriptRunner;
  /** A write or read failed (logged by the caller; the verdict already accounts for reads). */
  readonly onError?: (message: string) => void;
}

export class WitnessKeeper {
  private fd: number | null = null;
  private seq = 0;
  private state: WitnessState = 'INIT';
  private priority: number;
  private timer: TimerHandle | null = null;
  private readonly watch: WitnessWatch;
  /** Writes that failed, since start. */
  writeErrors = 0;

  constructor(private readonly o: WitnessKeeperOptions) {
    this.priority = o.instance.priority;
    this.watch = new WitnessWatch({ ownSlot: o.witness.slot, timeoutMs: o.witness.timeout * 1000, intervalMs: o.witness.interval * 1000 });
  }

  /** Opens (creating a missing regular file), writes the own slot and starts the beat; throws naming the path. */
  start(): void {
    const w = this.o.witness;
    try {
      this.fd = openSync(w.path, constants.O_RDWR | constants.O_CREAT | constants.O_DSYNC, 0o600);
    } catch (e) {
      throw new Error(`vrrp_instance ${this.o.instance.name}: lvsd_quorum_witness ${w.path}: ${(e as Error).message}`);
    }
    this.beat();
  }

  /** The instance's state changed: written at once, not at the next beat. */
  report(state: WitnessState, priority: number): void {
    this.state = state;
    this.priority = priority;
    if (this.fd !== null) this.write();
  }

  /** The split-brain check before promotion: the witness first, then the fence command. */
  async approve(priority: number): Promise<GuardVerdict> {
    this.readPeers();
    const now = this.o.clock.now();
    const v = this.watch.verdict(now, priority);
    if (!v.allow) return { allow: false, reason: v.reason, detail: v.detail, retryInMs: Math.max(1, v.retryAt - now) };
    const fence = this.o.witness.fence;
    if (!fence) return v;
    const r = await this.o.scripts.run(fence, [this.o.instance.name], this.o.witness.fenceTimeout * 1000);
    if (r.exitCode === 0) return v;
    const why = r.error ?? (r.timedOut ? `timed out after ${this.o.witness.fenceTimeout} s` : r.signal ? `killed by ${r.signal}` : `exit status ${r.exitCode}`);
    return { allow: false, reason: 'fence-failed', detail: `fence ${fence.argv[0] ?? ''}: ${why}`, retryInMs: null };
  }

  /** Stops the beat; a clean stop leaves INIT in the slot. */
  close(): void {
    if (this.timer) this.o.clock.clearTimer(this.timer);
    this.timer = null;
    if (this.fd === null) return;
    this.report('INIT', this.priority);
    closeSync(this.fd);
    this.fd = null;
  }

  private beat(): void {
    this.write();
    this.readPeers();
    this.timer = this.o.clock.setTimer(this.o.witness.interval * 1000, () => this.beat());
  }

  private write(): void {
    const w = this.o.witness;
    this.seq = (this.seq + 1) >>> 0;
    const rec = encodeSlot({ seq: this.seq, state: this.state, priority: this.priority, vrid: this.o.instance.virtualRouterId, wallMs: Date.now(), name: this.o.instance.name });
    try {
      const n = writeSync(this.fd!, rec, 0, rec.length, w.slot * WITNESS_SLOT_BYTES);
      if (n !== rec.length) throw new Error(`short write (${n} of ${rec.length} bytes)`);
    } catch (e) {
      this.writeErrors++;
      this.o.onError?.(`lvsd_quorum_witness ${w.path} slot ${w.slot}: ${(e as Error).message}`);
    }
  }

  private readPeers(): void {
    const now = this.o.clock.now();
    for (const slot of this.o.witness.peerSlots) {
      const r = this.readSlot(slot);
      if (typeof r === 'string') this.o.onError?.(r);
      this.watch.observe(slot, typeof r === 'string' ? null : r, now, typeof r === 'string' ? r : undefined);
    }
  }

  /** A slot past the end of a regular file reads as zeros: never written. */
  private readSlot(slot: number): DecodedSlot | string {
    const buf = new Uint8Array(WITNESS_SLOT_BYTES);
    try {
      if (this.fd === null) return 'witness is not open';
      readSync(this.fd, buf, 0, buf.length, slot * WITNESS_SLOT_BYTES);
      return decodeSlot(buf);
    } catch (e) {
      return `lvsd_quorum_witness ${this.o.witness.path} slot ${slot}: ${(e as Error).message}`;
    }
  }
}
