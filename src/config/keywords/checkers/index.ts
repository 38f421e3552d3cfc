/** Every checker keyword with its table and fresh draft (keepalived check/check_api.c install_checkers_keyword). */
import type { SourceLoc } from '../../../model/config.js';
import type { Table } from '../table.js';
import { DNS_KEYWORDS, type DnsDraft } from './dns.js';
import { FILE_KEYWORDS, type FileDraft } from './file.js';
import { HTTP_KEYWORDS, type HttpDraft } from './http.js';
import { MISC_KEYWORDS, type MiscDraft } from './misc.js';
import { PING_KEYWORDS, type PingDraft } from './ping.js';
import { SMTP_KEYWORDS, type SmtpDraft } from './smtp.js';
import { TCP_KEYWORDS, type TcpDraft } from './tcp.js';
import { UDP_KEYWORDS, type UdpDraft } from './udp.js';

export type CheckerDraft = TcpDraft | PingDraft | HttpDraft | SmtpDraft | DnsDraft | UdpDraft | MiscDraft | FileDraft;

export interface CheckerKind<C extends CheckerDraft> {
  readonly table: Table<C>;
  make(loc: SourceLoc): C;
}

const kind = <C extends CheckerDraft>(table: Table<C>, make: (loc: SourceLoc) => C): CheckerKind<C> => ({ table, make });

export const CHECKERS = {
  TCP_CHECK: kind<TcpDraft>(TCP_KEYWORDS, (loc) => ({ type: 'TCP_CHECK', loc })),
  PING_CHECK: kind<PingDraft>(PING_KEYWORDS, (loc) => ({ type: 'PING_CHECK', loc })),
  HTTP_GET: kind<HttpDraft>(HTTP_KEYWORDS, (loc) => ({ type: 'HTTP_GET', loc, urls: [] })),
  SSL_GET: kind<HttpDraft>(HTTP_KEYWORDS, (loc) => ({ type: 'SSL_GET', loc, urls: [] })),
  SMTP_CHECK: kind<SmtpDraft>(SMTP_KEYWORDS, (loc) => ({ type: 'SMTP_CHECK', loc, hosts: [] })),
  DNS_CHECK: kind<DnsDraft>(DNS_KEYWORDS, (loc) => ({ type: 'DNS_CHECK', loc })),
  UDP_CHECK: kind<UdpDraft>(UDP_KEYWORDS, (loc) => ({ type: 'UDP_CHECK', loc })),
  MISC_CHECK: kind<MiscDraft>(MISC_KEYWORDS, (loc) => ({ type: 'MISC_CHECK', loc })),
  FILE_CHECK: kind<FileDraft>(FILE_KEYWORDS, (loc) => ({ type: 'FILE_CHECK', loc })),
} as const;
