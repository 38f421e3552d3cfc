/**
 * The GET request HTTP_GET / SSL_GET send (keepalived check/check_http.c http_request, request_template):
 * byte for byte what keepalived 2.2.7 puts on the wire (pinned by a golden test captured from keepalived).
 */
import { addrPort, type IpAddr } from '../../model/address.js';
import type { HttpCheck } from '../../model/config-checkers.js';

/**
 * The Host header's value. With a virtualhost keepalived sends it alone, without a port; otherwise the
 * connect address and port, an IPv6 literal in brackets (RFC 2732, request_template_ipv6).
 */
export function hostHeader(virtualhost: string | null, addr: IpAddr, port: number): string {
  return virtualhost ?? addrPort(addr, port);
}

/**
 * http_protocol 1.0 sends no Connection header; 1.0C is 1.0 plus `Connection: close`; 1.1 sends
 * `Connection: close` too, so every server closes and the end of the body is the end of the stream.
 */
export function httpRequest(path: string, protocol: HttpCheck['httpProtocol'], host: string): string {
  const minor = protocol === '1.1' ? 1 : 0;
  const connection = protocol === '1.0' ? '' : 'Connection: close\r\n';
  return `GET ${path} HTTP/1.${minor}\r\nUser-Agent: KeepAliveClient\r\n${connection}Host: ${host}\r\n\r\n`;
}
