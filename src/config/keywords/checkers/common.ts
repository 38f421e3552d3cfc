/**
 * Keywords every checker shares (keepalived check/check_api.c install_checker_common_keywords): the
 * connection half (all but MISC_CHECK and FILE_CHECK) and the timing half.
 */
import type { IpAddr } from '../../../model/address.js';
import type { SourceLoc } from '../../../model/config.js';
import { keywordsFor, type Table } from '../table.js';
import { flag, ip, port, seconds, uint, word } from '../values.js';

export interface CheckerBaseDraft {
  readonly loc: SourceLoc;
  connectIp?: IpAddr;
  connectPort?: number;
  bindto?: IpAddr;
  bindPort?: number;
  bindIf?: string;
  connectTimeout?: number;
  fwmark?: number;
  retry?: number;
  delayBeforeRetry?: number;
  warmup?: number;
  delayLoop?: number;
  alpha?: boolean;
  logAllFailures?: boolean;
}

const k = keywordsFor<CheckerBaseDraft>();

/** UINT_MAX µs: the longest connect_timeout keepalived stores. */
const MAX_CONNECT_TIMEOUT = 4294.967295;

export const CONNECTION_KEYWORDS: Table<CheckerBaseDraft> = {
  connect_ip: k.value('connectIp', ip),
  connect_port: k.value('connectPort', port),
  bindto: k.value('bindto', ip),
  bind_port: k.value('bindPort', port),
  bind_if: k.custom((d, node, ctx) => {
    const r = word(node.args);
    if (!r.ok) return ctx.invalid(node, r.error);
    if (r.value.length >= 16) return ctx.invalid(node, `name "${r.value}" is longer than 15 characters`);
    d.bindIf = r.value;
    ctx.checkInterface(r.value, node.loc, 'checker bind_if');
  }),
  connect_timeout: k.value('connectTimeout', seconds(0.000001, MAX_CONNECT_TIMEOUT)),
  fwmark: k.value('fwmark', uint(0, 0xffffffff)),
};

export const TIMING_KEYWORDS: Table<CheckerBaseDraft> = {
  retry: k.value('retry', uint(0, 0xffffffff)),
  delay_before_retry: k.value('delayBeforeRetry', seconds(0)),
  warmup: k.value('warmup', seconds(0)),
  delay_loop: k.value('delayLoop', seconds(0.000001)),
  alpha: k.value('alpha', flag),
  log_all_failures: k.value('logAllFailures', flag),
};

export const COMMON_KEYWORDS: Table<CheckerBaseDraft> = { ...CONNECTION_KEYWORDS, ...TIMING_KEYWORDS };
