/** Checker models for tests, as the config resolver would produce them, with only what a test varies. */
import { parseIp } from '../model/address.js';
import type {
  CheckerConnection, CheckerTiming, DnsCheck, HttpCheck, HttpRegex, HttpUrl, PingCheck, SmtpCheck, TcpCheck, UdpCheck,
} from '../model/config-checkers.js';

const timing: CheckerTiming = {
  loc: { file: 'test.conf', line: 1 }, alpha: false, retry: 0, delayBeforeRetry: 1, warmup: 0, delayLoop: 5, logAllFailures: false,
};

export function conn(ip: string, port: number, more: Partial<CheckerConnection> = {}): CheckerConnection {
  const connectIp = parseIp(ip);
  if (!connectIp) throw new Error(`test address ${ip} is not an IP`);
  return { connectIp, connectPort: port, bindto: null, bindPort: 0, bindIf: null, connectTimeout: 1, fwmark: 0, ...more };
}

export function url(path: string, more: Partial<HttpUrl> = {}): HttpUrl {
  return { loc: timing.loc, path, digest: null, statusCodes: [[200, 299]], virtualhost: null, regex: null, ...more };
}

export function regex(pattern: string, more: Partial<HttpRegex> = {}): HttpRegex {
  return { pattern, noMatch: false, options: [], minOffset: 0, maxOffset: 0, stack: null, ...more };
}

export function httpCheck(c: CheckerConnection, urls: HttpUrl[], more: Partial<Omit<HttpCheck, 'urls' | 'conn'>> = {}): HttpCheck {
  return { ...timing, type: 'HTTP_GET', conn: c, httpProtocol: '1.0', fastRecovery: false, enableSni: false, urls, ...more };
}

export const tcpCheck = (c: CheckerConnection): TcpCheck => ({ ...timing, type: 'TCP_CHECK', conn: c });

export const pingCheck = (c: CheckerConnection): PingCheck => ({ ...timing, type: 'PING_CHECK', conn: c });

export const smtpCheck = (c: CheckerConnection, heloName = 'smtpchecker.keepalived.org'): SmtpCheck => ({ ...timing, type: 'SMTP_CHECK', conn: c, heloName });

export const dnsCheck = (c: CheckerConnection, queryType: DnsCheck['queryType'] = 'SOA', name = '.'): DnsCheck =>
  ({ ...timing, type: 'DNS_CHECK', conn: c, queryType, name });

export function udpCheck(c: CheckerConnection, more: Partial<Omit<UdpCheck, 'type' | 'conn'>> = {}): UdpCheck {
  return { ...timing, type: 'UDP_CHECK', conn: c, payload: null, requireReply: false, replyData: null, replyMask: null, minReplyLength: 0, maxReplyLength: 255, ...more };
}
