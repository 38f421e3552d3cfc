/**
 * Connection table for the userspace data planes (packet forwarder, socket proxy): IPVS's
 * ip_vs_conn table with its accounting, in typed arrays.
 *
 *   const t = new ConnTable({ capacity, now, resolveDest, onDestChange, seed });
 *   const k = new FlowKey().setV4(6, caddr, cport, vaddr, vport);    // reuse one key per plane
 *   let ref = t.lookup(k);                 // -1 when new; lookupMany() for a received batch
 *   if (ref < 0) ref = t.open(k, dest.id, svcIndex, now);           // InActConn++, -1 when full
 *   t.packet(ref, Dir.INPUT, tcpFlagsByte, now);                    // state machine + re-arm
 *   t.expire(now);                                                  // every few ms/s: timer wheel
 *
 * - Handles: `ref` numbers, valid until the entry is dropped (remove, expiry, eviction — the
 *   optional onDrop hook reports the last two). Accessors: dest, service, state, isTemplate,
 *   isActive, expiry, control.
 * - Time: every call that can arm a timer takes the caller's monotonic `now` in ms; nothing here
 *   reads a clock. expire(now) fires everything due up to `now` at 1 ms resolution; it must run at
 *   least every 24 days (2^31 ms, the wheel's signed span), which a periodic tick guarantees.
 * - TCP: packet() runs the kernel's tcp_states table (ip_vs_proto_tcp.c) by direction
 *   (Dir.INPUT/OUTPUT; DR/TUN entries opened with noOutput use the INPUT-ONLY rows until a reply)
 *   and the raw flags byte; setState() sets a state directly for the proxy
 *   (ESTABLISHED / FIN_WAIT or CLOSE_WAIT / CLOSE). tcpNextState() is the pure step.
 * - Accounting (ip_vs_conn.c bind/unbind): new entries are inactive; active states move them to
 *   ActiveConn and back; UDP stays inactive; templates count in persistConns; thresholds set and
 *   clear dest.overloaded; every change calls onDestChange(dest).
 * - Persistence (ip_vs_sched_persist): persistKey(out, svc, connKey) → findTemplate(key, now) →
 *   dest(ref), or openTemplate(key, destId, svc, timeoutMs, now); then open(..., template) links
 *   the connection (n_control), which keeps the template alive.
 * - Timeouts: setTimeouts({ tcp, tcpFin, udp }) like `ipvsadm --set` (0 keeps a value).
 * - Capacity: `capacity` entries at most; when full the entry nearest expiry is evicted (see
 *   ConnTable.evict) or the new one refused; stats counts both. Rows grow by doubling from
 *   initialCapacity; an IPv4 entry costs 44 bytes of row plus 5.3–10.7 bytes of index.
 * - clear() drops everything (unbinding each); remove(ref) one entry.
 * - Listing: entries(now) yields ConnView rows; toConnEntry() formats one for `ipvsadm -Lc`.
 */
export { ConnTable } from './conn-table.js';
export type { ConnTableOptions, ConnStats } from './options.js';
export { FlowKey, persistKey, type PersistService } from './flow-key.js';
export { toConnEntry, type ConnView, type DestAddr } from './listing.js';
export {
  Dir, TcpFlag, TcpState, TCP_STATE_NAMES, UDP_STATE_NAME, DEFAULT_TCP_TIMEOUTS_S, DEFAULT_UDP_TIMEOUT_S,
  tcpNextState, tcpStateActive, stateName, protoName,
} from './tcp-states.js';
export { MAX_TIMEOUT_S } from './timeouts.js';
