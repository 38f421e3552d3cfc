/**
 * What a state change tells the outside (keepalived vrrp/vrrp_notify.c): the notify FIFO line
 * `INSTANCE "VI_1" MASTER 100\n` (groups: `GROUP "G" MASTER 0`), and the scripts to run — the state's own
 * notify_* script without arguments, then the generic `notify` script with TYPE NAME STATE PRIORITY appended.
 */
import type { ScriptSpec } from '../model/config.js';
import type { VrrpNotify } from '../model/config-vrrp.js';

export type NotifyKind = 'INSTANCE' | 'GROUP';
export type FifoState = 'MASTER' | 'BACKUP' | 'FAULT' | 'STOP' | 'DELETED' | 'MASTER_RX_LOWER_PRI' | 'MASTER_PRIORITY' | 'BACKUP_PRIORITY';

/** keepalived notify_fifo: a group's priority is written as 0. */
export function fifoLine(kind: NotifyKind, name: string, state: FifoState, priority: number): string {
  return `${kind} "${name}" ${state} ${kind === 'GROUP' ? 0 : priority}\n`;
}

export interface ScriptCall {
  readonly script: ScriptSpec;
  readonly args: readonly string[];
}

const OWN = { MASTER: 'master', BACKUP: 'backup', FAULT: 'fault', STOP: 'stop' } as const;

/**
 * keepalived send_instance_notifies / send_group_notifies: notify_<state> first, then `notify`.
 * (DELETED runs notify_deleted, which the caller has as VrrpInstance.notifyDeletedScript.)
 */
export function notifyScripts(n: VrrpNotify, kind: NotifyKind, name: string, state: 'MASTER' | 'BACKUP' | 'FAULT' | 'STOP', priority: number): ScriptCall[] {
  const out: ScriptCall[] = [];
  const own = n[OWN[state]];
  if (own) out.push({ script: own, args: [] });
  if (n.any) out.push({ script: n.any, args: [kind, name, state, String(kind === 'GROUP' ? 0 : priority)] });
  return out;
}
