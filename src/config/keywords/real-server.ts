/** real_server keywords (keepalived check/check_parser.c, the install_sublevel after "real_server"). */
import type { IpAddr } from '../../model/address.js';
import type { Forwarding, ScriptSpec, SourceLoc } from '../../model/config.js';
import type { ConfigNode } from '../tree.js';
import { CHECKERS, type CheckerDraft, type CheckerKind } from './checkers/index.js';
import type { Ctx } from './context.js';
import { forwarding } from './forwarding.js';
import { keywordsFor, type Entry, type Table } from './table.js';
import { addrPort, flag, script, seconds, uint, word } from './values.js';

export interface RsDraft {
  readonly loc: SourceLoc;
  readonly addr: IpAddr;
  /** As written; 0 = no port. */
  readonly port: number;
  /** `real_server ADDR [PORT]` as written, for messages. */
  readonly title: string;
  weight?: number;
  forwarding?: Forwarding;
  uthreshold?: number;
  lthreshold?: number;
  inhibit?: boolean;
  notifyUp?: ScriptSpec;
  notifyDown?: ScriptSpec;
  alpha?: boolean;
  retry?: number;
  delayBeforeRetry?: number;
  warmup?: number;
  connectTimeout?: number;
  delayLoop?: number;
  smtpAlert?: boolean;
  virtualhost?: string;
  checkers: CheckerDraft[];
}

/** `real_server ADDR [PORT] {` — a bad address skips the whole block, as alloc_rs does. */
export function newRealServer(node: ConfigNode, ctx: Ctx): { draft: RsDraft; ctx: Ctx } | null {
  const r = addrPort(node.args);
  if (!r.ok) {
    ctx.invalid(node, r.error);
    return null;
  }
  const title = `real_server ${node.args.join(' ')}`;
  const draft: RsDraft = { loc: node.loc, addr: r.value.addr, port: r.value.port, title, checkers: [] };
  return { draft, ctx: ctx.within(`${ctx.scope} > ${title}`) };
}

const k = keywordsFor<RsDraft>();

/** IPVS_WEIGHT_LIMIT (ip_vs.h): INT32_MAX. */
export const WEIGHT_LIMIT = 0x7fffffff;
/** UINT_MAX µs. */
const MAX_CONNECT_TIMEOUT = 4294.967295;

function checker<C extends CheckerDraft>(kind: CheckerKind<C>): Entry<RsDraft> {
  return k.block(
    (node, ctx) => ({ draft: kind.make(node.loc), ctx: ctx.within(`${ctx.scope} > ${node.keyword}`) }),
    kind.table,
    (d, c) => d.checkers.push(c),
  );
}

export const REAL_SERVER_KEYWORDS: Table<RsDraft> = {
  weight: k.value('weight', uint(0, WEIGHT_LIMIT)),
  lvs_method: k.value('forwarding', forwarding),
  uthreshold: k.value('uthreshold', uint(0, 0xffffffff)),
  lthreshold: k.value('lthreshold', uint(0, 0xffffffff)),
  inhibit_on_failure: k.value('inhibit', flag),
  notify_up: k.once('notifyUp', script),
  notify_down: k.once('notifyDown', script),
  alpha: k.value('alpha', flag),
  retry: k.value('retry', uint(1, 0xffffffff)),
  delay_before_retry: k.value('delayBeforeRetry', seconds(0)),
  warmup: k.value('warmup', seconds(0)),
  connect_timeout: k.value('connectTimeout', seconds(0.000001, MAX_CONNECT_TIMEOUT)),
  delay_loop: k.value('delayLoop', seconds(0.000001)),
  smtp_alert: k.value('smtpAlert', flag),
  virtualhost: k.value('virtualhost', word),
  snmp_name: k.ignored('lvsd has no SNMP agent'),
  TCP_CHECK: checker(CHECKERS.TCP_CHECK),
  PING_CHECK: checker(CHECKERS.PING_CHECK),
  HTTP_GET: checker(CHECKERS.HTTP_GET),
  SSL_GET: checker(CHECKERS.SSL_GET),
  SMTP_CHECK: checker(CHECKERS.SMTP_CHECK),
  DNS_CHECK: checker(CHECKERS.DNS_CHECK),
  UDP_CHECK: checker(CHECKERS.UDP_CHECK),
  MISC_CHECK: checker(CHECKERS.MISC_CHECK),
  FILE_CHECK: checker(CHECKERS.FILE_CHECK),
  BFD_CHECK: k.ignored('lvsd has no BFD; the checker is dropped'),
};
