import t from 'tap';
import { endpoint } from '../../../../src/platform/probe/connection.js';
import { socketFailure } from '../../../../src/platform/probe/errors.js';
import { tlsOptions } from '../../../../src/platform/probe/tls-options.js';
import { conn } from '../../../../src/testing/checkers.js';

t.test('connection options as Node sockets take them', async (t) => {
  t.same(endpoint(conn('10.1.2.3', 80, { connectTimeout: 2.5 })), { host: '10.1.2.3', port: 80, family: 4, localAddress: undefined, localPort: undefined, timeoutMs: 2500 });
  t.match(endpoint(conn('2001:db8::1', 443, { bindto: { af: 6, text: '2001:db8::2' }, bindPort: 1234 })), { family: 6, localAddress: '2001:db8::2', localPort: 1234 });
  t.match(endpoint(conn('fe80::1', 80, { bindIf: 'eth0' })), { host: 'fe80::1%eth0' }, 'a link-local target is scoped to bind_if');
  t.match(endpoint(conn('10.1.2.3', 80, { bindIf: 'eth0' })), /SO_BINDTODEVICE/);
  t.match(endpoint(conn('10.1.2.3', 80, { fwmark: 3 })), /SO_MARK/);
  t.match(endpoint(conn('10.1.2.3', 80, { connectTimeout: 0.000001 })), { timeoutMs: 1 }, 'at least a millisecond');
});

t.test('socket errors become failure words', async (t) => {
  const err = (code: string, message = code): Error => Object.assign(new Error(message), { code });
  t.match(socketFailure('connect', err('ECONNREFUSED')), { up: false, reason: 'refused', detail: 'connect: ECONNREFUSED' });
  t.match(socketFailure('read', err('ECONNRESET')), { reason: 'reset' });
  t.match(socketFailure('connect', err('EHOSTUNREACH')), { reason: 'unreachable' });
  t.match(socketFailure('TLS', err('ERR_SSL_WRONG_VERSION_NUMBER')), { reason: 'tls' });
  t.match(socketFailure('x', err('EWHAT')), { reason: 'error' });
  t.match(socketFailure('x', 'a string'), { reason: 'error', detail: 'x: a string' });
});

t.test('the SSL block: unreadable files are a clear failure, not a throw', async (t) => {
  t.match(tlsOptions(null), { rejectUnauthorized: false });
  t.match(tlsOptions({ ca: null, certificate: '/nonexistent/cert.pem', key: null, password: null }), /^SSL block: .*nonexistent/);
  t.match(tlsOptions({ ca: null, certificate: null, key: 'k', password: null }, () => Buffer.from('not a key')), /^SSL block: /);
});
