/**
 * VRRP for lvsd — the pure protocol half (issue 13). How the pieces fit, for whoever wires it into the daemon:
 *
 *   codec/advert.ts   VRRPv2 (RFC 3768 §5) / VRRPv3 (RFC 5798 §5) messages, IPv4 and IPv6: encodeAdvert,
 *                     decodeAdvert (structural only), checksumOk (v3 with the pseudo-header, §5.2.8).
 *   codec/ipv4.ts     the IPv4 header keepalived writes itself (IP_HDRINCL) and reads back, with the TTL.
 *   validate.ts       validateAdvert(received, instance, checkAddrs) → advert or a Rejection code, in
 *                     keepalived 2.2.7's order (vrrp_check_packet). Count the codes; they are stable.
 *   instance.ts       the reducer: step(state, event, ctx) → { state, actions }. Events: startup, advert
 *                     (validated), timer, track, reload, sync, shutdown. Actions: send-advert, add-vips,
 *                     remove-vips, gratuitous, notify, notify-event. Timers are deadlines in state.due.
 *   timing.ts         Skew_Time and Master_Down_Interval in keepalived's whole µs.
 *   tracking.ts       track_interface / track_script / track_file / track_process → weights, fault, pending.
 *   track-script.ts   a vrrp_script's rise/fall counter; script-schedule.ts runs scripts on the Clock
 *                     through the ScriptRunner port and reports verdicts.
 *   sync-group.ts     keepalived's transition matrix: which members follow a member's transition.
 *   notify.ts         keepalived's notify FIFO line and notify_* / notify script calls for a state change.
 *   node.ts           VrrpNode: all instances of this host on a Clock. It arms one timer per instance,
 *                     validates what arrives (receive), feeds tracking (updateTracking), keeps sync
 *                     groups together, and hands out effects: `send` with the encoded advert (src, dst,
 *                     ttl, payload) per destination (multicast group or each unicast peer), `instance`
 *                     actions (addresses, GARP/NA repeat counts, notify), and `group` notifications.
 *
 * Wiring: build one VrrpNode from config.vrrpInstances / vrrpSyncGroups with the system Clock; give it
 * `primary` (the source address: sourceIp, else the interface's primary address) and an `effects` callback
 * that sends packets on the raw protocol-112 socket (IPv4: wrap with encodeIpv4 when the socket has
 * IP_HDRINCL), adds/removes addresses over rtnetlink, sends `repeat` gratuitous ARPs / unsolicited NAs per
 * address, runs notify scripts and writes the notify FIFO. Feed it received packets with `receive`
 * (IPv4: decodeIpv4 first, which also yields the TTL; IPv6: the hop limit from ancillary data) and link,
 * script (ScriptSchedule), file and process states with `updateTracking`. Call `stop()` on shutdown
 * before closing sockets, so masters send priority 0. Reload: `reload(newInstances)` keeps state for
 * instances with the same name, VRID and family; others are new nodes' business.
 */
export { decodeAdvert, encodeAdvert, type Advert } from './codec/advert.js';
export { decodeIpv4, encodeIpv4 } from './codec/ipv4.js';
export { step, initialState, nextDeadline } from './instance.js';
export type { InstanceAction, InstanceEvent, InstanceState } from './instance-types.js';
export { VrrpNode, type NodeEffect, type OutPacket } from './node.js';
export { fifoLine, notifyScripts } from './notify.js';
export { ScriptSchedule } from './script-schedule.js';
export type { TrackInputs } from './tracking.js';
export { validateAdvert, type Received, type Rejection } from './validate.js';
