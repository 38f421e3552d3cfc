import os from 'node:os';
import type { IpAddr } from '../../model/address.js';
import type { Protocol } from '../../model/protocol.js';

/** A socket the proxy plane listens on, or a place it connects to. */
export interface Endpoint {
  readonly protocol: Protocol;
  readonly addr: IpAddr;
  readonly port: number;
}

const WILDCARD = new Set(['0.0.0.0', '::']);

/** This host's addresses now (interfaces can change, so asked at each check). */
export function hostAddresses(): Set<string> {
  const out = new Set<string>();
  for (const list of Object.values(os.networkInterfaces())) for (const i of list ?? []) out.add(i.address);
  return out;
}

function isLoopback(a: IpAddr): boolean {
  return a.af === 4 ? a.text.startsWith('127.') : a.text === '::1';
}

/**
 * Would the proxy plane, connecting to `dest`, reach its own `listener`? Then every client would make the
 * plane connect to itself, again and again, until descriptors ran out (issue 11: 20,000 in under a second).
 * A wildcard listener (0.0.0.0, ::) answers on every local address, and `::` on IPv4 ones too (Node listens
 * dual-stack); connecting to a wildcard address reaches this host (Linux routes a zero destination to the
 * source address or loopback: net/ipv4/route.c ip_route_output_key_hash_rcu).
 */
export function reachesListener(dest: Endpoint, listener: Endpoint, local: ReadonlySet<string>): boolean {
  if (dest.protocol !== listener.protocol || dest.port !== listener.port) return false;
  const destIsHost = WILDCARD.has(dest.addr.text) || isLoopback(dest.addr) || local.has(dest.addr.text);
  if (WILDCARD.has(listener.addr.text)) return destIsHost && (listener.addr.af === dest.addr.af || listener.addr.af === 6);
  if (WILDCARD.has(dest.addr.text)) return listener.addr.af === dest.addr.af && (isLoopback(listener.addr) || local.has(listener.addr.text));
  return listener.addr.text === dest.addr.text;
}

/** The error for a refused destination: one sentence naming both ends. */
export function loopMessage(dest: Endpoint, listener: Endpoint): string {
  const at = (e: Endpoint) => `${e.protocol.toUpperCase()} ${e.addr.af === 6 ? `[${e.addr.text}]` : e.addr.text}:${e.port}`;
  return `real server ${at(dest)} is lvsd's own listener ${at(listener)}: the proxy data plane would relay to itself until its descriptors ran out`;
}
