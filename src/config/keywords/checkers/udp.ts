/** UDP_CHECK: payload, require_reply and reply lengths plus the common keywords (keepalived check/check_udp.c). */
import { keywordsFor, type Table } from '../table.js';
import { bad, hexBytes, ok, uint, type ValueParser } from '../values.js';
import { COMMON_KEYWORDS, type CheckerBaseDraft } from './common.js';

export interface UdpDraft extends CheckerBaseDraft {
  readonly type: 'UDP_CHECK';
  payload?: number[];
  requireReply?: { data: number[]; mask: number[] | null } | null;
  minReplyLength?: number;
  maxReplyLength?: number;
}

/** The hex string may be spread over several words ("Ab12f 3 456"). */
function hex(masked: boolean): ValueParser<{ data: number[]; mask: number[] | null }> {
  return (args) => {
    const r = hexBytes(args.join(' '), masked);
    return r ? ok(r) : bad(`must be hexadecimal bytes${masked ? ' (x for a don\'t-care digit)' : ''}, not "${args.join(' ')}"`);
  };
}

const k = keywordsFor<UdpDraft>();
const payload = hex(false);
const reply = hex(true);

export const UDP_KEYWORDS: Table<UdpDraft> = {
  ...COMMON_KEYWORDS,
  payload: k.custom((d, node, ctx) => {
    const r = payload(node.args);
    if (r.ok) d.payload = r.value.data;
    else ctx.invalid(node, r.error);
  }),
  require_reply: k.custom((d, node, ctx) => {
    if (node.args.length === 0) return void (d.requireReply = null);
    const r = reply(node.args);
    if (r.ok) d.requireReply = r.value;
    else ctx.invalid(node, r.error);
  }),
  min_reply_length: k.value('minReplyLength', uint(0, 65535)),
  max_reply_length: k.value('maxReplyLength', uint(0, 65535)),
};
