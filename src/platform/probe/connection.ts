/**
 * What Node's sockets can do of a checker's connection options (keepalived conn_opts_t, core/layer4.c
 * socket_bind_connect). bindto and bind_port map to the local address and port. SO_BINDTODEVICE
 * (bind_if) and SO_MARK (fwmark) have no Node API: bind_if on an IPv6 link-local target becomes the
 * address's scope (fe80::1%eth0), which routes out of that interface; any other bind_if, and any
 * fwmark, fails the check with a clear detail — as keepalived fails the connect when its setsockopt fails
 * — rather than probing along a path the operator did not ask for.
 */
import type { CheckerConnection } from '../../model/config-checkers.js';

export interface Endpoint {
  readonly host: string;
  readonly port: number;
  readonly family: 4 | 6;
  readonly localAddress: string | undefined;
  readonly localPort: number | undefined;
  /** connect_timeout in milliseconds. */
  readonly timeoutMs: number;
}

/** The endpoint to connect, or why this prober cannot honour the options. */
export function endpoint(conn: CheckerConnection): Endpoint | string {
  if (conn.fwmark) return `fwmark ${conn.fwmark} needs SO_MARK, which lvsd's socket prober cannot set`;
  const linkLocal = conn.connectIp.af === 6 && /^fe[89ab]/i.test(conn.connectIp.text);
  if (conn.bindIf && !linkLocal) return `bind_if ${conn.bindIf} needs SO_BINDTODEVICE, which lvsd's socket prober cannot set (it is honoured for IPv6 link-local targets)`;
  return {
    host: linkLocal && conn.bindIf ? `${conn.connectIp.text}%${conn.bindIf}` : conn.connectIp.text,
    port: conn.connectPort,
    family: conn.connectIp.af,
    localAddress: conn.bindto?.text,
    localPort: conn.bindPort || undefined,
    timeoutMs: Math.max(1, Math.round(conn.connectTimeout * 1000)),
  };
}
