/**
 * Checker drafts → Checkers with the real server's settings inherited (keepalived check/check_data.c
 * validate_check_config, check_api.c queue_checker/check_conn_opts, and each check_*.c end handler).
 */
import type { IpAddr } from '../../model/address.js';
import type { Checker, CheckerConnection, CheckerTiming, HttpUrl, TrackFile } from '../../model/config.js';
import type { CheckerBaseDraft } from '../keywords/checkers/common.js';
import type { HttpDraft } from '../keywords/checkers/http.js';
import { urlRegex } from '../keywords/checkers/http.js';
import type { CheckerDraft } from '../keywords/checkers/index.js';
import type { SmtpDraft } from '../keywords/checkers/smtp.js';
import { CODES, type Ctx } from '../keywords/context.js';

/** What a checker inherits: the real server's values after virtual_server → real_server inheritance. */
export interface Inherited {
  readonly addr: IpAddr;
  /** The real server's port as written (keepalived copies the address before fixing the port). */
  readonly port: number;
  readonly alpha: boolean;
  readonly retry: number | undefined;
  readonly connectTimeout: number;
  readonly delayLoop: number;
  readonly warmup: number | undefined;
  readonly delayBeforeRetry: number | undefined;
  /** real_server virtualhost, else virtual_server's. */
  readonly virtualhost: string | null;
  /** MISC_CHECK's timeout falls back to the virtual server's delay_loop (check_misc.c). */
  readonly vsDelayLoop: number;
  readonly logAllFailures: boolean;
  readonly trackFiles: ReadonlyMap<string, TrackFile>;
  /** track_file names declared but rejected (already reported). */
  readonly declared: ReadonlySet<string>;
}

/** queue_checker's default_retry / default_delay_before_retry per type (0 = the delay_loop). */
const DEFAULTS: Readonly<Record<Exclude<Checker['type'], 'FILE_CHECK'>, { retry: number; delayBeforeRetry: number }>> = {
  TCP_CHECK: { retry: 1, delayBeforeRetry: 1 },
  PING_CHECK: { retry: 1, delayBeforeRetry: 1 },
  UDP_CHECK: { retry: 1, delayBeforeRetry: 1 },
  SMTP_CHECK: { retry: 1, delayBeforeRetry: 1 },
  HTTP_GET: { retry: 1, delayBeforeRetry: 3 },
  SSL_GET: { retry: 1, delayBeforeRetry: 3 },
  DNS_CHECK: { retry: 3, delayBeforeRetry: 0 },
  MISC_CHECK: { retry: 0, delayBeforeRetry: 1 },
};
const SMTP_HELO = 'smtpchecker.keepalived.org';

function timing(c: CheckerBaseDraft, type: keyof typeof DEFAULTS, rs: Inherited): CheckerTiming {
  const delayLoop = c.delayLoop ?? rs.delayLoop;
  return {
    loc: c.loc,
    alpha: c.alpha ?? rs.alpha,
    retry: c.retry ?? rs.retry ?? DEFAULTS[type].retry,
    delayLoop,
    warmup: c.warmup ?? rs.warmup ?? delayLoop,
    delayBeforeRetry: c.delayBeforeRetry ?? rs.delayBeforeRetry ?? (DEFAULTS[type].delayBeforeRetry || delayLoop),
    logAllFailures: c.logAllFailures ?? rs.logAllFailures,
  };
}

/** conn_opts_t: defaults to the real server; check_conn_opts wants bind_if for a link-local target. */
function connection(c: CheckerBaseDraft, type: string, rs: Inherited, ctx: Ctx): CheckerConnection | null {
  const connectIp = c.connectIp ?? rs.addr;
  if (c.bindto && c.bindto.af !== connectIp.af) {
    ctx.error(CODES.value, c.loc, `bindto ${c.bindto.text} and the connect address ${connectIp.text} are of different families`);
    return null;
  }
  if (connectIp.af === 6 && connectIp.text.startsWith('fe80') && !c.bindIf) {
    ctx.error(CODES.missing, c.loc, `the link-local address ${connectIp.text} needs bind_if`);
    return null;
  }
  const connectPort = c.connectPort ?? rs.port;
  if (connectPort === 0 && type !== 'PING_CHECK') ctx.warn(CODES.adjusted, c.loc, 'has no port to connect to (set connect_port or give the real server a port); keepalived would connect to port 0');
  return {
    connectIp, connectPort, bindto: c.bindto ?? null, bindPort: c.bindPort ?? 0, bindIf: c.bindIf ?? null,
    connectTimeout: c.connectTimeout ?? rs.connectTimeout, fwmark: c.fwmark ?? 0,
  };
}

function urls(d: HttpDraft, rs: Inherited, ctx: Ctx): HttpUrl[] {
  return d.urls.flatMap((u): HttpUrl[] => {
    if (u.path === undefined) {
      ctx.error(CODES.missing, u.loc, 'url has no path');
      return [];
    }
    return [{
      loc: u.loc, path: u.path, digest: u.digest ?? null,
      statusCodes: u.statusCodes.length ? u.statusCodes : [[200, 299]],
      virtualhost: u.virtualhost ?? d.virtualhost ?? rs.virtualhost,
      regex: urlRegex(u, ctx),
    }];
  });
}

/**
 * SMTP_CHECK host { } blocks (smtp_check_end_handler): each host is one more checker sharing the
 * parent's settings; when the parent itself sets no connection option, the first host replaces it.
 */
function smtp(d: SmtpDraft, rs: Inherited, ctx: Ctx): Checker[] {
  const merged: SmtpDraft = { ...d };
  for (const h of d.hosts) {
    for (const key of ['retry', 'delayBeforeRetry', 'warmup', 'delayLoop', 'alpha', 'logAllFailures'] as const) {
      if (h[key] !== undefined) Object.assign(merged, { [key]: h[key] });
    }
  }
  const own = [d.connectIp, d.connectPort, d.bindto, d.bindPort, d.bindIf, d.fwmark, d.connectTimeout].some((v) => v !== undefined);
  const conns = [...(own || d.hosts.length === 0 ? [d] : []), ...d.hosts];
  const t = timing(merged, 'SMTP_CHECK', rs);
  return conns.flatMap((c): Checker[] => {
    const conn = connection(c, 'SMTP_CHECK', rs, ctx);
    return conn ? [{ type: 'SMTP_CHECK', ...t, loc: c.loc, conn, heloName: d.heloName ?? SMTP_HELO }] : [];
  });
}

/** Reports (the argument) and yields no checker. */
const none = (_reported: void): Checker[] => [];

export function resolveChecker(d: CheckerDraft, rs: Inherited, ctx: Ctx): Checker[] {
  if (d.type === 'FILE_CHECK') {
    if (d.trackFile === undefined) return none(ctx.missing('track_file', d.loc, 'has no track_file'));
    const f = rs.trackFiles.get(d.trackFile);
    if (!f) return rs.declared.has(d.trackFile) ? [] : none(ctx.error(CODES.reference, d.loc, `track_file ${d.trackFile} is not defined`));
    return [{ type: 'FILE_CHECK', loc: d.loc, trackFile: f.name, weight: d.weight?.weight ?? f.weight, reverse: d.weight?.reverse ?? f.reverse }];
  }
  if (d.type === 'MISC_CHECK') {
    if (!d.script) return none(ctx.missing('misc_path', d.loc, 'has no misc_path'));
    const script = d.user ? { ...d.script, user: d.user.user, group: d.user.group } : d.script;
    return [{ type: 'MISC_CHECK', ...timing(d, d.type, rs), script, timeout: d.timeout || rs.vsDelayLoop, dynamic: d.dynamic ?? false }];
  }
  if (d.type === 'SMTP_CHECK') return smtp(d, rs, ctx);
  const conn = connection(d, d.type, rs, ctx);
  if (!conn) return [];
  const base = { ...timing(d, d.type, rs), conn };
  switch (d.type) {
    case 'TCP_CHECK':
    case 'PING_CHECK':
      return [{ type: d.type, ...base }];
    case 'HTTP_GET':
    case 'SSL_GET': {
      const list = urls(d, rs, ctx);
      // url_check dropped bad urls already (reported); only a checker written without any url is reported here.
      if (list.length === 0) return d.urls.length ? [] : none(ctx.error(CODES.missing, d.loc, 'has no url'));
      return [{ type: d.type, ...base, httpProtocol: d.httpProtocol ?? '1.0', fastRecovery: d.fastRecovery ?? false, enableSni: d.enableSni ?? false, urls: list }];
    }
    case 'DNS_CHECK':
      return [{ type: d.type, ...base, queryType: d.queryType ?? 'SOA', name: d.name ?? '.' }];
    case 'UDP_CHECK': {
      const min = d.minReplyLength ?? 0;
      const max = d.maxReplyLength ?? 255;
      if (min > max) ctx.warn(CODES.adjusted, d.loc, `min_reply_length ${min} is greater than max_reply_length ${max}; the check will always fail`);
      return [{
        type: d.type, ...base, payload: d.payload ?? null, requireReply: d.requireReply !== undefined,
        replyData: d.requireReply?.data ?? null, replyMask: d.requireReply?.mask ?? null, minReplyLength: min, maxReplyLength: max,
      }];
    }
  }
}
