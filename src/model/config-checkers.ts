/**
 * Health checkers as configured, one type per checker keyword (keepalived check/check_*.c), with the
 * timing inherited from the real server (check_data.c validate_check_config) already applied.
 */
import type { IpAddr } from './address.js';
import type { ScriptSpec, SourceLoc } from './config.js';

/** What every launched checker has (install_checker_common_keywords' non-connection half). */
export interface CheckerTiming {
  readonly loc: SourceLoc;
  readonly alpha: boolean;
  /** Extra attempts after a failure before the checker is declared down. */
  readonly retry: number;
  readonly delayBeforeRetry: number;
  /** Random initial delay of up to this many seconds; 0 disables. */
  readonly warmup: number;
  readonly delayLoop: number;
  readonly logAllFailures: boolean;
}

/** Where a connecting checker connects from and to (conn_opts_t). */
export interface CheckerConnection {
  readonly connectIp: IpAddr;
  /** 0 when neither connect_port nor the real server gives one (keepalived then connects to port 0). */
  readonly connectPort: number;
  readonly bindto: IpAddr | null;
  readonly bindPort: number;
  readonly bindIf: string | null;
  readonly connectTimeout: number;
  /** SO_MARK for the checker's packets; 0 = none. */
  readonly fwmark: number;
}

export interface TcpCheck extends CheckerTiming {
  readonly type: 'TCP_CHECK';
  readonly conn: CheckerConnection;
}

export interface PingCheck extends CheckerTiming {
  readonly type: 'PING_CHECK';
  readonly conn: CheckerConnection;
}

export interface HttpUrl {
  readonly loc: SourceLoc;
  readonly path: string;
  /** Lower-case hex MD5 of the body, or null. */
  readonly digest: string | null;
  /** Accepted status ranges, inclusive; default [[200, 299]]. */
  readonly statusCodes: readonly (readonly [number, number])[];
  /** Host header: url → checker → real server → virtual server; null = the connect address. */
  readonly virtualhost: string | null;
  readonly regex: HttpRegex | null;
}

export interface HttpRegex {
  readonly pattern: string;
  readonly noMatch: boolean;
  /** PCRE2 option names as written (caseless, multiline, …). */
  readonly options: readonly string[];
  readonly minOffset: number;
  /** One beyond the last acceptable match start; 0 = unlimited. */
  readonly maxOffset: number;
  readonly stack: { readonly start: number; readonly max: number } | null;
}

export interface HttpCheck extends CheckerTiming {
  readonly type: 'HTTP_GET' | 'SSL_GET';
  readonly conn: CheckerConnection;
  /** '1.0C' is 1.0 plus `Connection: close` (which 1.1 sends too). */
  readonly httpProtocol: '1.0' | '1.0C' | '1.1';
  readonly fastRecovery: boolean;
  readonly enableSni: boolean;
  readonly urls: readonly HttpUrl[];
}

export interface SmtpCheck extends CheckerTiming {
  readonly type: 'SMTP_CHECK';
  readonly conn: CheckerConnection;
  readonly heloName: string;
}

export type DnsQueryType = 'A' | 'NS' | 'CNAME' | 'SOA' | 'MX' | 'TXT' | 'AAAA';

export interface DnsCheck extends CheckerTiming {
  readonly type: 'DNS_CHECK';
  readonly conn: CheckerConnection;
  readonly queryType: DnsQueryType;
  readonly name: string;
}

export interface UdpCheck extends CheckerTiming {
  readonly type: 'UDP_CHECK';
  readonly conn: CheckerConnection;
  /** Bytes to send; null = random payload. */
  readonly payload: readonly number[] | null;
  readonly requireReply: boolean;
  /** Expected reply prefix and its don't-care mask (bits set where the config had X). */
  readonly replyData: readonly number[] | null;
  readonly replyMask: readonly number[] | null;
  readonly minReplyLength: number;
  readonly maxReplyLength: number;
}

export interface MiscCheck extends CheckerTiming {
  readonly type: 'MISC_CHECK';
  readonly script: ScriptSpec;
  /** Seconds; the virtual server's delay_loop when misc_timeout is not set. */
  readonly timeout: number;
  readonly dynamic: boolean;
}

/** FILE_CHECK is not a timed checker: it follows a track_file and adds value×weight to the RS weight. */
export interface FileCheck {
  readonly type: 'FILE_CHECK';
  readonly loc: SourceLoc;
  readonly trackFile: string;
  readonly weight: number;
  readonly reverse: boolean;
}

export type Checker = TcpCheck | PingCheck | HttpCheck | SmtpCheck | DnsCheck | UdpCheck | MiscCheck | FileCheck;
export type CheckerType = Checker['type'];
