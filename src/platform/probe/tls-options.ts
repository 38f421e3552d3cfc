/**
 * The top-level SSL block (keepalived check/check_ssl.c build_ssl_ctx) as one Node secure context, built
 * once when the prober is made, as keepalived builds its SSL_CTX once at start-up. keepalived sets no
 * SSL_VERIFY_PEER: the ca is loaded but the server's certificate is not judged, so neither is it here.
 */
import { readFileSync } from 'node:fs';
import { createSecureContext, type ConnectionOptions } from 'node:tls';
import type { SslContext } from '../../model/config-lvs.js';

/** The options, or why the context could not be built (every SSL_GET then fails with it). */
export function tlsOptions(ssl: SslContext | null, read: (path: string) => Buffer = readFileSync): ConnectionOptions | string {
  try {
    const secureContext = createSecureContext(ssl ? {
      ...(ssl.ca ? { ca: read(ssl.ca) } : {}),
      ...(ssl.certificate ? { cert: read(ssl.certificate) } : {}),
      ...(ssl.key ? { key: read(ssl.key) } : {}),
      ...(ssl.password !== null ? { passphrase: ssl.password } : {}),
    } : {});
    return { secureContext, rejectUnauthorized: false };
  } catch (e) {
    return `SSL block: ${(e as Error).message}`;
  }
}
