import type { Timeouts } from '../../model/table.js';
import { bindDest, moveActive, unbindDest } from './dest-accounting.js';
import type { FlowKey } from './flow-key.js';
import { FlowStore } from './flow-store.js';
import {
  M_IN_USE, M_INACTIVE, M_NOOUTPUT, M_PROTO, M_STATE, M_STATE_SHIFT, M_TEMPLATE, M_UNHASHED,
  W_DEST, W_EXP, W_LINK, W_META, W_PORTS, W_SVC, W_TIMEOUT,
} from './layout.js';
import { readView, type ConnView } from './listing.js';
import type { ConnStats, ConnTableOptions } from './options.js';
import { Dir, TcpState, tcpNextState, tcpStateActive } from './tcp-states.js';
import { TimerWheel } from './timer-wheel.js';
import { MAX_TIMEOUT_S, TimeoutTable } from './timeouts.js';

/** ip_vs_conn_new(): cp->timeout until the first packet's state transition sets the real one. */
const INITIAL_TIMEOUT_MS = 3000;
/** ip_vs_conn_expire(): a template that still controls connections is retried 60 s later. */
const EXPIRE_LATER_MS = 60_000;
const DEFAULT_SEED = 0x2545f491;

/**
 * The connection table: see index.ts for the API overview. Handles (`ref`) are
 * `id * 2 + family` (0 = IPv4 store, 1 = IPv6 store) and stay valid until the entry is dropped.
 */
export class ConnTable {
  readonly stats: ConnStats = {
    inserts: 0, removals: 0, expirations: 0, evictions: 0, refusals: 0, templatesInvalidated: 0, templatesDeferred: 0,
  };
  readonly capacity: number;
  private readonly stores: readonly [FlowStore, FlowStore];
  private readonly wheels: readonly [TimerWheel, TimerWheel];
  private readonly fires: readonly [(id: number, now: number) => void, (id: number, now: number) => void];
  private readonly evictable: readonly [(id: number) => boolean, (id: number) => boolean];
  private readonly limits = new TimeoutTable();
  private secure: boolean;
  /** A template open() must not evict while it links a connection to it (-1 = none). */
  private protectedRef = -1;

  constructor(private readonly opts: ConnTableOptions) {
    this.capacity = opts.capacity;
    const seed = opts.seed ?? DEFAULT_SEED;
    const v4 = new FlowStore(1, opts.capacity, opts.initialCapacity ?? Math.min(opts.capacity, 4096), seed);
    const v6 = new FlowStore(4, opts.capacity, opts.initialCapacityV6 ?? Math.min(opts.capacity, 1024), seed ^ 0x6a09e667);
    this.stores = [v4, v6];
    this.wheels = [new TimerWheel(v4, opts.now), new TimerWheel(v6, opts.now)];
    this.fires = [(id, now) => this.fire(0, id, now), (id, now) => this.fire(1, id, now)];
    this.evictable = [(id) => this.canEvict(0, id), (id) => this.canEvict(1, id)];
    this.secure = opts.secureTcp ?? false;
    if (opts.tcpTimeWait !== undefined) this.limits.setTimeWait(opts.tcpTimeWait);
  }

  /** Entries held (connections and templates, including invalidated templates). */
  get size(): number {
    return this.stores[0].live + this.stores[1].live;
  }

  /** Bytes of typed arrays held by both families' rows and indexes. */
  get bytes(): number {
    return this.stores[0].bytes + this.stores[1].bytes;
  }

  /** The connection (or, for a key with the template bit, the template) with this key, or -1. Touches nothing. */
  lookup(k: FlowKey): number {
    const fam = k.af === 4 ? 0 : 1;
    const id = this.stores[fam].find(k);
    return id < 0 ? -1 : id * 2 + fam;
  }

  /**
   * lookup() for a received batch: out[i] = ref or -1 for keys[i], i < n. Faster per key than
   * lookup() on a large table because the cache misses of different keys overlap (FlowStore.findMany).
   */
  lookupMany(keys: readonly FlowKey[], n: number, out: Int32Array): void {
    this.stores[0].findMany(keys, n, out);
    this.stores[1].findMany(keys, n, out);
    for (let i = 0; i < n; i++) {
      const id = out[i];
      if (id >= 0) out[i] = id * 2 + (keys[i].af === 4 ? 0 : 1);
    }
  }

  /**
   * ip_vs_conn_new() for a connection: state NONE (TCP) / NORMAL (UDP), counted inactive on its dest,
   * 3 s timeout until the caller's packet()/setState() for the packet that created it (as ip_vs_in
   * runs the state transition right after scheduling). `noOutput` for DR/TUN forwarding
   * (IP_VS_CONN_F_NOOUTPUT); `template` links it to a persistence template (ip_vs_control_add).
   * Returns the existing ref when the key is present, or -1 when full and nothing could be evicted.
   */
  open(k: FlowKey, destId: number, service: number, now: number, noOutput = false, template = -1): number {
    if ((k.meta & M_TEMPLATE) !== 0) throw new TypeError('open() takes a connection key; templates use openTemplate()');
    const found = this.lookup(k);
    if (found >= 0) return found;
    if (template >= 0 && ((template & 1) !== (k.af === 4 ? 0 : 1) || !this.isTemplate(template))) {
      throw new TypeError('open(): `template` must be a template ref of the same family');
    }
    this.protectedRef = template;
    const ref = this.insert(k, destId, service, now, INITIAL_TIMEOUT_MS, M_INACTIVE | (noOutput ? M_NOOUTPUT : 0));
    this.protectedRef = -1;
    if (ref >= 0 && template >= 0) this.linkControl(ref, template);
    return ref;
  }

  /**
   * The template for a key made by persistKey(), re-armed with its timeout (ip_vs_conn_put after use),
   * or -1. A template whose dest is gone or unavailable (or quiescent, with expireQuiescentTemplate)
   * is unhashed instead and -1 returned, as ip_vs_check_template() does; it lingers until it expires.
   */
  findTemplate(k: FlowKey, now: number): number {
    const ref = (k.meta & M_TEMPLATE) === 0 ? -1 : this.lookup(k);
    if (ref < 0) return -1;
    const s = this.stores[ref & 1];
    const id = ref >> 1;
    const o = id * s.stride;
    const dest = this.opts.resolveDest(s.data[o + W_DEST]);
    if (dest && dest.available && !(this.opts.expireQuiescentTemplate && dest.weight === 0)) {
      this.touch(ref, now);
      return ref;
    }
    s.hashDelete(id);
    s.data[o + W_META] |= M_UNHASHED;
    s.data[o + W_PORTS] = 0xffff; // the kernel rehashes it as cport 0, vport 0xffff
    this.stats.templatesInvalidated++;
    return -1;
  }

  /** A persistence template bound to `destId` (counted in persistConns), kept `timeoutMs` after its last use. */
  openTemplate(k: FlowKey, destId: number, service: number, timeoutMs: number, now: number): number {
    if ((k.meta & M_TEMPLATE) === 0) throw new TypeError('openTemplate needs a key from persistKey()');
    if (!(timeoutMs >= 0 && timeoutMs <= MAX_TIMEOUT_S * 1000)) throw new RangeError(`template timeout ${timeoutMs} ms`);
    const found = this.lookup(k);
    return found >= 0 ? found : this.insert(k, destId, service, now, Math.floor(timeoutMs), 0);
  }

  /**
   * One packet of an existing entry (ip_vs_set_state + ip_vs_conn_put): TCP steps the kernel's state
   * table by `dir` and the wire flags byte, moving the entry between ActiveConn and InActConn; every
   * protocol re-arms its timer with the (possibly --set) timeout of its state.
   */
  packet(ref: number, dir: Dir, tcpFlags: number, now: number): void {
    const s = this.stores[ref & 1];
    const id = ref >> 1;
    const o = id * s.stride;
    const d = s.data;
    const meta = d[o + W_META];
    if ((meta & M_TEMPLATE) === 0) {
      if ((meta & M_PROTO) === 6) {
        let row: Dir = dir;
        if ((meta & M_NOOUTPUT) !== 0) {
          // set_tcp_state(): the first reply clears NOOUTPUT; until then input uses INPUT-ONLY rows.
          if (dir === Dir.OUTPUT) d[o + W_META] = meta & ~M_NOOUTPUT;
          else row = Dir.INPUT_ONLY;
        }
        const old = (meta & M_STATE) >>> M_STATE_SHIFT;
        this.applyTcpState(ref, tcpNextState(old, row, tcpFlags, this.secure));
      } else {
        d[o + W_TIMEOUT] = this.limits.udpMs; // udp_state_transition(); SCTP is kept like UDP
      }
    }
    this.wheels[ref & 1].rearm(id, now + d[o + W_TIMEOUT]);
  }

  /** Sets a TCP state directly (the socket proxy: ESTABLISHED, FIN_WAIT/CLOSE_WAIT, CLOSE), with the same accounting. */
  setState(ref: number, state: TcpState, now: number): void {
    const s = this.stores[ref & 1];
    const meta = s.data[(ref >> 1) * s.stride + W_META];
    if ((meta & (M_TEMPLATE | M_PROTO)) === 6) this.applyTcpState(ref, state);
    this.touch(ref, now);
  }

  /** Re-arms the timer with the entry's current timeout (a packet without a state change). */
  touch(ref: number, now: number): void {
    const s = this.stores[ref & 1];
    const id = ref >> 1;
    this.wheels[ref & 1].rearm(id, now + s.data[id * s.stride + W_TIMEOUT]);
  }

  /**
   * Drops an entry now, unbinding it from its dest and its template. A template that still controls
   * connections is only unhashed (never freed while n_control > 0) and goes after the last of them.
   */
  remove(ref: number): boolean {
    const fam = ref & 1;
    const s = this.stores[fam];
    const id = ref >> 1;
    const o = id * s.stride;
    const meta = s.data[o + W_META];
    if ((meta & M_IN_USE) === 0) return false;
    if ((meta & M_TEMPLATE) !== 0 && s.data[o + W_LINK] > 0) {
      if ((meta & M_UNHASHED) === 0) {
        s.hashDelete(id);
        s.data[o + W_META] = meta | M_UNHASHED;
      }
      return false;
    }
    this.drop(fam, id);
    this.stats.removals++;
    return true;
  }

  /** Runs the timer wheels up to `now` (ms); returns how many entries fired. */
  expire(now: number): number {
    return this.wheels[0].advance(now, this.fires[0]) + this.wheels[1].advance(now, this.fires[1]);
  }

  /** Drops every entry (connections first), unbinding each; for shutdown and flush. */
  clear(): void {
    for (const pass of [0, M_TEMPLATE]) {
      for (let fam = 0; fam < 2; fam++) {
        const s = this.stores[fam];
        for (let id = 0; id < s.idLimit; id++) {
          const meta = s.data[id * s.stride + W_META];
          if ((meta & M_IN_USE) !== 0 && (meta & M_TEMPLATE) === pass) this.drop(fam, id);
        }
      }
    }
  }

  setTimeouts(t: Timeouts): void { this.limits.set(t); }
  timeouts(): Timeouts { return this.limits.get(); }
  setSecureTcp(on: boolean): void { this.secure = on; }

  dest(ref: number): number { return this.word(ref, W_DEST); }
  service(ref: number): number { return this.word(ref, W_SVC); }
  /** TCP state number (TcpState); 0 for UDP and templates. */
  state(ref: number): number { return (this.word(ref, W_META) & M_STATE) >>> M_STATE_SHIFT; }
  isTemplate(ref: number): boolean { return (this.word(ref, W_META) & M_TEMPLATE) !== 0; }
  /** Counted in ActiveConn (not IP_VS_CONN_F_INACTIVE, not a template). */
  isActive(ref: number): boolean { return (this.word(ref, W_META) & (M_INACTIVE | M_TEMPLATE)) === 0; }
  /** Absolute expiry in ms modulo 2^32 (compare as ((a - b) | 0)). */
  expiry(ref: number): number { return this.word(ref, W_EXP); }
  /** A connection's template ref or -1; a template's n_control. */
  control(ref: number): number {
    const link = this.word(ref, W_LINK);
    if (this.isTemplate(ref)) return link;
    return link === 0 ? -1 : (link - 1) * 2 + (ref & 1);
  }

  /** Every entry, for `ipvsadm -Lc` (see listing.ts toConnEntry). */
  *entries(now: number): Generator<ConnView> {
    for (let fam = 0; fam < 2; fam++) {
      const s = this.stores[fam];
      for (let id = 0; id < s.idLimit; id++) {
        if ((s.data[id * s.stride + W_META] & M_IN_USE) !== 0) yield readView(s, id, id * 2 + fam, now);
      }
    }
  }

  private word(ref: number, w: number): number {
    const s = this.stores[ref & 1];
    return s.data[(ref >> 1) * s.stride + w];
  }

  private insert(k: FlowKey, destId: number, service: number, now: number, timeoutMs: number, flags: number): number {
    const fam = k.af === 4 ? 0 : 1;
    if (this.size >= this.capacity && !this.evict(fam)) return -1;
    const s = this.stores[fam];
    const id = s.alloc();
    s.writeKey(id, k);
    const d = s.data; // after alloc: growth replaces the array
    const o = id * s.stride;
    const template = (k.meta & M_TEMPLATE) !== 0;
    d[o + W_META] |= M_IN_USE | flags;
    d[o + W_DEST] = destId;
    d[o + W_SVC] = service;
    d[o + W_TIMEOUT] = timeoutMs;
    d[o + W_EXP] = now + timeoutMs;
    d[o + W_LINK] = 0;
    this.wheels[fam].insert(id);
    s.hashInsert(id);
    this.stats.inserts++;
    const dest = this.opts.resolveDest(destId);
    if (dest) {
      bindDest(dest, template);
      this.opts.onDestChange(dest);
    }
    return id * 2 + fam;
  }

  /** ip_vs_control_add(): the connection remembers its template, which counts it in n_control. */
  private linkControl(ref: number, template: number): void {
    const s = this.stores[ref & 1];
    const o = (ref >> 1) * s.stride;
    if (s.data[o + W_LINK] !== 0) return;
    s.data[o + W_LINK] = (template >> 1) + 1;
    s.data[(template >> 1) * s.stride + W_LINK]++;
  }

  /** set_tcp_state()'s bookkeeping for a new state: active/inactive move, state bits, timeout. */
  private applyTcpState(ref: number, state: number): void {
    const s = this.stores[ref & 1];
    const d = s.data;
    const o = (ref >> 1) * s.stride;
    let meta = d[o + W_META];
    if (((meta & M_STATE) >>> M_STATE_SHIFT) !== state) {
      const dest = this.opts.resolveDest(d[o + W_DEST]);
      const active = tcpStateActive(state, this.opts.onlyEstablishedActive ?? false);
      const inactive = (meta & M_INACTIVE) !== 0;
      const move = dest !== undefined && inactive === active;
      if (move) meta ^= M_INACTIVE;
      d[o + W_META] = (meta & ~M_STATE) | (state << M_STATE_SHIFT);
      if (move) {
        moveActive(dest, active);
        this.opts.onDestChange(dest);
      }
    }
    d[o + W_TIMEOUT] = this.limits.tcpMs[state];
  }

  /** ip_vs_conn_expire() for a record the wheel took out. */
  private fire(fam: number, id: number, now: number): void {
    const s = this.stores[fam];
    const o = id * s.stride;
    if ((s.data[o + W_META] & M_TEMPLATE) !== 0 && s.data[o + W_LINK] > 0) {
      // "do I control anybody?" → expire_later: cp->timeout = 60*HZ and re-arm
      s.data[o + W_TIMEOUT] = EXPIRE_LATER_MS;
      s.data[o + W_EXP] = now + EXPIRE_LATER_MS;
      this.wheels[fam].insert(id);
      this.stats.templatesDeferred++;
      return;
    }
    this.opts.onDrop?.(id * 2 + fam, 'expired');
    this.drop(fam, id);
    this.stats.expirations++;
  }

  /**
   * Eviction policy at capacity: drop the entry whose wheel slot fires first (≈ nearest expiry),
   * looking at up to evictScan entries, same family first. Short-timeout states (NONE, CLOSE,
   * SYN_RECV, TIME_WAIT) and idle flows go first, so a SYN flood evicts its own half-open entries
   * (the targets of the kernel's drop_entry defence) instead of locking out new clients, and
   * established flows are hit last. Templates that control connections are never evicted. When
   * nothing qualifies the new entry is refused. Both outcomes are counted in stats.
   */
  private evict(fam: number): boolean {
    const scan = this.opts.evictScan ?? 64;
    for (const f of [fam, 1 - fam]) {
      const victim = this.wheels[f].earliest(scan, this.evictable[f]);
      if (victim >= 0) {
        this.opts.onDrop?.(victim * 2 + f, 'evicted');
        this.drop(f, victim);
        this.stats.evictions++;
        return true;
      }
    }
    this.stats.refusals++;
    return false;
  }

  private canEvict(fam: number, id: number): boolean {
    const s = this.stores[fam];
    const o = id * s.stride;
    if (id * 2 + fam === this.protectedRef) return false;
    if ((s.data[o + W_META] & M_TEMPLATE) !== 0) return s.data[o + W_LINK] === 0;
    return this.opts.mayEvict?.(id * 2 + fam) ?? true;
  }

  /** Frees a row: out of the wheel and index, ip_vs_control_del, ip_vs_unbind_dest. */
  private drop(fam: number, id: number): void {
    const s = this.stores[fam];
    const d = s.data;
    const o = id * s.stride;
    const meta = d[o + W_META];
    const template = (meta & M_TEMPLATE) !== 0;
    this.wheels[fam].unlink(id);
    if ((meta & M_UNHASHED) === 0) s.hashDelete(id);
    const link = d[o + W_LINK];
    if (!template && link !== 0) {
      const to = (link - 1) * s.stride;
      d[to + W_LINK]--;
    }
    const dest = this.opts.resolveDest(d[o + W_DEST]);
    s.free(id);
    if (dest) {
      unbindDest(dest, template, (meta & M_INACTIVE) !== 0);
      this.opts.onDestChange(dest);
    }
  }
}
