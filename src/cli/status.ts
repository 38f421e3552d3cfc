/**
 * `lvsadm --status`: the running lvsd's state for people — VRRP per instance, every service with its real
 * servers (weight, forwarding, health, connections), recent transitions — from the control socket's
 * `status` answer (the /status.json document). ipvsadm has no --status, so no ipvsadm command line changes
 * meaning.
 */
import type { StatusServiceView, StatusView } from '../control/protocol-status.js';
import { BackendError, BackendUnavailable } from './backend.js';

export const STATUS_OPTION = '--status';

export interface StatusSource {
  status(): Promise<StatusView>;
}

const hostPort = (a: string, p: number): string => `${a.includes(':') ? `[${a}]` : a}:${p}`;

function serviceLine(s: StatusServiceView): string {
  const name = s.proto === 'FWM' ? `FWM ${s.fwmark}` : `${s.proto} ${hostPort(s.address, s.port)}`;
  const quorum = s.quorumUp === null ? '' : s.quorumUp ? '  quorum up' : '  QUORUM DOWN';
  return `  ${name}  ${s.scheduler}${quorum}\n`;
}

export function formatStatus(v: StatusView): string {
  let out = `lvsd ${v.version}, ${v.plane} plane, started ${v.startedAt}\n`;
  out += 'VRRP:\n';
  if (v.vrrp === null) out += '  (no VRRP instances run)\n';
  for (const i of v.vrrp ?? []) out += `  ${i.name}  ${i.interface}  vrid ${i.vrid}  ${i.state}  priority ${i.priority}  VIPs ${i.vips.join(' ') || '-'}\n`;
  out += 'Services:\n';
  if (v.services.length === 0) out += '  (none)\n';
  for (const s of v.services) {
    out += serviceLine(s);
    for (const r of s.realServers) {
      const health = r.alive === null ? 'not checked' : r.alive ? 'up' : 'DOWN';
      const table = r.inTable ? `weight ${r.weight ?? '-'}  ${r.forward ?? '-'}  active ${r.activeConns}  inactive ${r.inactConns}` : 'not in the table';
      out += `    -> ${hostPort(r.address, r.port)}  ${health}  ${table}\n`;
    }
  }
  out += 'Recent transitions:\n';
  if (v.transitions.length === 0) out += '  (none)\n';
  for (const t of [...v.transitions].reverse()) out += `  ${t.at}  ${t.kind}  ${t.subject}  ${t.from} -> ${t.to}\n`;
  return out;
}

/** Runs `lvsadm --status` (args: what followed it); null source = --kernel, which has no status. */
export async function printStatus(args: readonly string[], source: StatusSource | null, out: (s: string) => void, err: (s: string) => void): Promise<number> {
  if (args.length > 0) {
    err(`lvsadm: ${STATUS_OPTION} takes no other options (got ${args.join(' ')})\n`);
    return 2;
  }
  if (!source) {
    err(`lvsadm: ${STATUS_OPTION} shows what a running lvsd knows; it cannot be used with --kernel\n`);
    return 2;
  }
  try {
    out(formatStatus(await source.status()));
    return 0;
  } catch (e) {
    if (!(e instanceof BackendUnavailable || e instanceof BackendError)) throw e;
    err(`lvsadm: ${e.message}\n`);
    return e instanceof BackendUnavailable ? 2 : 1;
  }
}
